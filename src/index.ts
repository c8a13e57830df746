export * from './cost-report/pizza-cost-report';
export * from './pizza-budget';
export * from './pizza-database';
export * from './pizza-dns';
export * from './pizza-frontend';
export * from './pizza-github-deploy-role';
export * from './pizza-load-balancer';
export * from './pizza-service';

export * from './pizza-dns';

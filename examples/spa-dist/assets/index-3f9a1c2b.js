// as `npm run build` leaves it with VITE_PIZZA_SERVICE_URL=https://pizza-service.example.com
const serviceUrl = "https://pizza-service.example.com";
document.getElementById("root").textContent = `JWT Pizza, ordering from ${serviceUrl}`;

document.getElementById("root").textContent = "JWT Pizza";

// The label sheet's "Print" button (no inline script: strict CSP).
document.querySelectorAll("[data-print]").forEach((button) => button.addEventListener("click", () => window.print()));

// The print page's "印刷する" button: hidden without JavaScript, where the page says
// to use the browser's own print menu instead.
"use strict";
document.querySelectorAll("[data-print]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});

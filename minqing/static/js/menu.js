// The main menu is a <details> so phones get a tap-to-open menu without any script. On wide screens
// it should simply be open: browsers hide a closed <details>' content whatever the CSS says, so
// open it here (and close it again if the window narrows).
(function () {
  var menu = document.querySelector("details.menu");
  if (!menu || !window.matchMedia) { return; }
  var wide = window.matchMedia("(min-width: 900px)");
  function apply() { menu.open = wide.matches; }
  apply();
  if (wide.addEventListener) { wide.addEventListener("change", apply); }
}());

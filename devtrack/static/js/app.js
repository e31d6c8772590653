// Progressive enhancement only: every page works without this file.
// The "js" class swaps the menu's no-JavaScript link for DKFDS's menu button (see app.css);
// it must be set before DKFDS looks for visible menu buttons.
document.documentElement.classList.add("js");
if (window.DKFDS && typeof window.DKFDS.init === "function") {
  window.DKFDS.init();
}

// A table's "scroll sideways" hint is only true when the table is wider than its region.
function updateScrollHints() {
  document.querySelectorAll(".table-scroll").forEach(function (wrapper) {
    var region = wrapper.querySelector(".table--responsive-scroll");
    var hint = wrapper.querySelector(".scroll-hint");
    if (region && hint) {
      hint.hidden = region.scrollWidth <= region.clientWidth;
    }
  });
}
updateScrollHints();
window.addEventListener("resize", updateScrollHints);

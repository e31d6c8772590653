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

// The grundlag chooser's search box: shown only here, it filters the parts, elements and
// statements as one types; a part or element with a match opens. Without JavaScript the
// lists open and close by hand.
document.querySelectorAll(".grundlag-chooser").forEach(function (chooser) {
  var search = chooser.querySelector(".grundlag-search");
  if (!search) {
    return;
  }
  var input = search.querySelector("input");
  var status = search.querySelector(".grundlag-search-status");
  var groups = chooser.querySelectorAll(".grundlag-choice-group");
  var initiallyOpen = Array.prototype.map.call(
    chooser.querySelectorAll("details"),
    function (details) { return [details, details.open]; }
  );
  search.hidden = false;

  function matches(element, words) {
    var text = element.textContent.toLowerCase();
    return words.every(function (word) { return text.indexOf(word) !== -1; });
  }

  input.addEventListener("input", function () {
    var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    if (words.length === 0) {
      chooser.querySelectorAll(".grundlag-choice").forEach(function (item) { item.hidden = false; });
      groups.forEach(function (group) { group.hidden = false; });
      initiallyOpen.forEach(function (pair) { pair[0].open = pair[1]; });
      status.textContent = "";
      return;
    }
    var found = 0;
    groups.forEach(function (group) {
      var partName = group.querySelector("summary").textContent.toLowerCase();
      var groupHit = false;
      group.querySelectorAll(".grundlag-choices > .grundlag-choice").forEach(function (element) {
        var label = element.querySelector(":scope > label");
        var statements = element.querySelectorAll(".grundlag-statements .grundlag-choice");
        var statementHit = false;
        statements.forEach(function (statement) {
          var hit = matches(statement, words);
          statement.hidden = false;
          statementHit = statementHit || hit;
          if (hit) { found += 1; }
        });
        var elementHit = matches(label, words) || words.every(function (word) {
          return (label.textContent + " " + partName).toLowerCase().indexOf(word) !== -1;
        });
        if (elementHit) { found += 1; }
        element.hidden = !(elementHit || statementHit);
        var toggle = element.querySelector(".grundlag-statements-toggle");
        if (toggle) { toggle.open = statementHit; }
        groupHit = groupHit || elementHit || statementHit;
      });
      group.hidden = !groupHit;
      group.open = groupHit;
    });
    status.textContent = found ? "" : status.getAttribute("data-none");
  });
});

// Runs axe-core on this page for tests/test_accessibility.py. The page's URL fragment holds
// the findings of the pages judged before it: this page adds its own and opens the next
// (data-next), so that one browser judges every page as a top-level document. The last page
// writes them all into <pre id="axe-result">, which Chromium's --dump-dom prints.
(function () {
  "use strict";
  var script = document.currentScript;
  var next = script.dataset.next;
  var found = location.hash ? JSON.parse(decodeURIComponent(location.hash.slice(1))) : [];

  function done(result) {
    found.push(result);
    if (next) {
      location.replace(next + "#" + encodeURIComponent(JSON.stringify(found)));
      return;
    }
    var pre = document.createElement("pre");
    pre.id = "axe-result";
    pre.textContent = JSON.stringify(found);
    document.body.appendChild(pre);
  }

  axe
    .run(document, {
      runOnly: { type: "tag", values: JSON.parse(script.dataset.tags) },
      resultTypes: ["violations"],
    })
    .then(
      function (results) {
        done({
          page: script.dataset.page,
          violations: results.violations.map(function (rule) {
            return {
              id: rule.id,
              impact: rule.impact,
              help: rule.help,
              targets: rule.nodes.map(function (node) {
                return node.target.join(" ");
              }),
            };
          }),
        });
      },
      function (error) {
        done({ page: script.dataset.page, error: String(error) });
      }
    );
})();

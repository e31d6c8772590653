// Starts Swagger UI on the API documentation page (templates/api/docs.html). A file of its
// own, not an inline script: the Content-Security-Policy allows scripts from this site only.
(function () {
  "use strict";
  function start() {
    var target = document.getElementById("swagger-ui");
    if (!target || typeof window.SwaggerUIBundle !== "function") {
      return;
    }
    window.SwaggerUIBundle({
      url: target.getAttribute("data-spec-url"),
      domNode: target,
      deepLinking: false,
      // No calls to the validator service or any other site.
      validatorUrl: null,
      tryItOutEnabled: false,
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

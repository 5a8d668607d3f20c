// Marks the page as able to run GOV.UK Frontend's scripts, then starts them. Every journey also
// works without this file.
import { initAll, isSupported } from "/assets/govuk/govuk-frontend.min.js";

document.body.classList.add("js-enabled");
if (isSupported()) {
  document.body.classList.add("govuk-frontend-supported");
  initAll();
}

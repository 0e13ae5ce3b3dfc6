// Onsite's front end: small ES modules wired by data-* attributes (no inline scripts: strict CSP).
import { installCsrf } from "./csrf.js";
import { watchConnectivity } from "./connectivity.js";
import { showServerMessages } from "./messages.js";
import { startSync } from "./sync-status.js";
import { startBriefcase } from "./briefcase.js";
import { watchForUpdates } from "./updates.js";
import { installSignaturePads } from "./signature.js";
import { installTabBar, focusErrorSummary } from "./layout.js";

installCsrf();
watchConnectivity(document);
showServerMessages(document);
startSync(document.querySelector("[data-sync-status]"));
startBriefcase(document.querySelector("[data-briefcase]"));
watchForUpdates(document.getElementById("messages"));
installSignaturePads(document);
installTabBar(document.querySelector("[data-tab-bar]"));
focusErrorSummary(document);

import { BackendError, openExternal } from "../lib/backend";
import { safeExternalUrl } from "../lib/links";
import { showToast } from "./toasts";

/** Opens an https link in the system browser; anything else is refused here already. */
export function openLink(href: string): void {
  const url = safeExternalUrl(href);
  if (url === null) {
    showToast("Only https links open outside Portdesk.", "error");
    return;
  }
  openExternal(url).catch((error: unknown) => {
    const err = BackendError.from(error);
    showToast(`Could not open the link: ${err.message} (${err.code})`, "error");
  });
}

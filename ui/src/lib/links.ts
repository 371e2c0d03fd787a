// Links from untrusted text (model output). Only https links with a host ever leave the app, and
// only through `openExternal`; the web view itself never navigates.

/** The URL as a normalized string when it is https with a host, else null. */
export function safeExternalUrl(href: string | null | undefined): string | null {
  if (href == null || href === "") return null;
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return null;
  }
  if (url.protocol !== "https:" || url.hostname === "" || url.username !== "" || url.password !== "") return null;
  return url.href;
}

const PORT_APP_HOST = /^app\.(us\.)?(get)?port\.io$/;

/** A link into Port's own app where an action run waits for review (PORT-API.md "Approvals"):
 * app.port.io / app.us.port.io, or the legacy app.getport.io hosts. */
export function isPortReviewLink(href: string): boolean {
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return false;
  }
  if (url.protocol !== "https:" || !PORT_APP_HOST.test(url.hostname)) return false;
  return url.pathname.toLowerCase().includes("self-serve") || url.searchParams.has("runId");
}

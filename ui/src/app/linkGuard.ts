import { openLink } from "./openLink";

/** Defence in depth: whatever renders a link, the web view never navigates away. A click on an
 * external link goes to the system browser (https only); in-page `#` links still work. */
export function installLinkGuard(root: Document = document): () => void {
  const onClick = (event: MouseEvent) => {
    if (event.defaultPrevented) return;
    const target = event.target instanceof Element ? event.target.closest("a[href]") : null;
    if (!(target instanceof HTMLAnchorElement)) return;
    const href = target.getAttribute("href") ?? "";
    if (href.startsWith("#")) return;
    event.preventDefault();
    openLink(target.href);
  };
  // Middle clicks and drags would open new windows or navigate.
  const onAuxClick = (event: MouseEvent) => {
    if (event.target instanceof Element && event.target.closest("a[href]")) event.preventDefault();
  };
  root.addEventListener("click", onClick);
  root.addEventListener("auxclick", onAuxClick);
  return () => {
    root.removeEventListener("click", onClick);
    root.removeEventListener("auxclick", onAuxClick);
  };
}

// The answer as markdown. Model output is untrusted: raw HTML is not rendered, rehype-sanitize
// strips anything outside GitHub's safe subset, and every link goes through `openLink` (https
// only, system browser). Links into Port's app for an action run become a "Review in Port" button.

import { ExternalLink } from "lucide-react";
import { memo, useMemo, type ComponentPropsWithoutRef, type MouseEvent } from "react";
import ReactMarkdown, { type Components } from "react-markdown";
import rehypeSanitize from "rehype-sanitize";
import remarkGfm from "remark-gfm";

import { openLink } from "../app/openLink";
import { isPortReviewLink, safeExternalUrl } from "../lib/links";
import { splitMarkdownBlocks } from "./markdownBlocks";

const remarkPlugins = [remarkGfm];
const rehypePlugins = [rehypeSanitize];

function MarkdownLink({ href, children, title }: ComponentPropsWithoutRef<"a">) {
  const url = safeExternalUrl(href);
  if (url === null) {
    // Not https (or not a link at all): shown, never followed.
    return (
      <span className="md-link-inert" title={href ? `Not opened: ${href}` : undefined}>
        {children}
      </span>
    );
  }
  const open = (event: MouseEvent) => {
    event.preventDefault();
    openLink(url);
  };
  if (isPortReviewLink(url)) {
    return (
      <button type="button" className="review-in-port" onClick={open} title={url}>
        Review in Port <ExternalLink size={14} aria-hidden="true" />
      </button>
    );
  }
  return (
    <a href={url} title={title ?? url} onClick={open} rel="noreferrer noopener">
      {children}
    </a>
  );
}

/** Images would load remote content (and the CSP blocks them anyway): shown as a link. */
function MarkdownImage({ src, alt }: ComponentPropsWithoutRef<"img">) {
  const url = typeof src === "string" ? safeExternalUrl(src) : null;
  const label = `Image${alt ? `: ${alt}` : ""}`;
  if (url === null) return <span className="md-link-inert">[{label}]</span>;
  return (
    <a
      href={url}
      title={url}
      onClick={(event) => {
        event.preventDefault();
        openLink(url);
      }}
    >
      [{label}]
    </a>
  );
}

const components: Components = {
  a: MarkdownLink,
  img: MarkdownImage,
};

const MarkdownBlock = memo(function MarkdownBlock({ text }: { text: string }) {
  return (
    <ReactMarkdown remarkPlugins={remarkPlugins} rehypePlugins={rehypePlugins} components={components} skipHtml>
      {text}
    </ReactMarkdown>
  );
});

export function Markdown({ text }: { text: string }) {
  const blocks = useMemo(() => splitMarkdownBlocks(text), [text]);
  return (
    <div className="markdown">
      {blocks.map((block, index) => (
        // Blocks only ever grow at the end, so the index is a stable key.
        <MarkdownBlock key={index} text={block} />
      ))}
    </div>
  );
}

/**
 * An e-mail's HTML body as the customer will see it. The HTML comes from templates and customer data, so it
 * is shown in an iframe sandboxed with no permission at all: no script runs, no form posts, no navigation
 * of this page, and the document has an opaque origin (no cookie, no access to the app or its API).
 */
export function HtmlPreview({ html, title, height = 360 }: { html: string; title: string; height?: number }) {
  // A new frame for each new HTML: Chromium does not always load a changed srcdoc into a frame sandboxed this tightly.
  return (
    <iframe
      key={fingerprint(html)}
      sandbox=""
      srcDoc={html}
      title={title}
      data-testid="html-preview"
      style={{
        width: '100%',
        height,
        border: '1px solid var(--mantine-color-gray-3)',
        borderRadius: 4,
        background: 'white',
      }}
    />
  );
}

function fingerprint(text: string): string {
  let hash = 5381;
  for (let i = 0; i < text.length; i++) hash = (hash * 33) ^ text.charCodeAt(i);
  return `${text.length}:${hash >>> 0}`;
}

import { marked } from 'marked';
import DOMPurify from 'dompurify';

/**
 * Notebook prose as HTML that cannot run anything: marked renders CommonMark/GFM, DOMPurify removes
 * scripts, event handlers and `javascript:` URLs (DESIGN §6: Markdown is sanitized). Links open in a
 * new tab without access to this page.
 */
export function renderMarkdown(markdown: string): string {
  const html = marked.parse(markdown, { async: false, gfm: true });
  const clean = DOMPurify.sanitize(html, { USE_PROFILES: { html: true }, FORBID_TAGS: ['style', 'form', 'input', 'button'] });
  const template = document.createElement('template');
  template.innerHTML = clean;
  for (const link of template.content.querySelectorAll('a[href]')) {
    link.setAttribute('target', '_blank');
    link.setAttribute('rel', 'noopener noreferrer');
  }
  return template.innerHTML;
}

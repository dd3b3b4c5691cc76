/**
 * The forms in which a target may echo a secret it was sent: the value itself, URL-encoded (as
 * `encodeURIComponent`, as a form body, as a WHATWG URL query, with lower-case hex), JSON-escaped
 * (once and twice, also with `\/` and with `\uXXXX` for non-ASCII and `<>&'` as Go and Python
 * write them) and HTML-escaped. Only distinct forms are returned, the value first.
 */
export function listEncodedForms(secret: string): string[] {
  const forms = new Set<string>([secret]);
  const add = (make: () => string) => {
    try {
      forms.add(make());
    } catch {
      // A lone surrogate cannot be URL-encoded: that form cannot be sent either.
    }
  };
  add(() => encodeURIComponent(secret));
  add(() => new URLSearchParams({ v: secret }).toString().slice(2));
  add(() => new URL(`http://h/?${secret}`).search.slice(1));
  for (const form of [...forms]) forms.add(form.replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase()));
  const json = JSON.stringify(secret).slice(1, -1);
  forms.add(json);
  forms.add(JSON.stringify(json).slice(1, -1));
  forms.add(json.replace(/\//g, '\\/'));
  forms.add(json.replace(/[^\x20-\x7e]|[<>&']/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
  forms.add(secret.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;'));
  return [...forms].filter((form) => form !== '');
}

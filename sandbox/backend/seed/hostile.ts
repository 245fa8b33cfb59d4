/**
 * Strings that must reach the screen as text. Each script payload sets window.__xss, which the
 * scenarios assert stays undefined; none contains '/' (it would change an object id or URL path).
 */
export const HOSTILE = {
  imgTag:      '<img src=x onerror="window.__xss=\'img\'">',
  svgBreakout: '"\'><svg onload="window.__xss=\'svg\'">',
  template:    '{{ constructor.constructor("window.__xss=\'template\'")() }}',
  quotes:      'O\'Brien "quoted" `backtick` \\ backslash',
  /** Kubernetes caps label values at 63 characters but names of some objects at 253; flows carry anything. */
  longName:    `very-long-${ 'name-'.repeat(48) }end`,
  rtl:         '\u202eevil-rtl',
} as const;

/** Annotation values (the API accepts any text there; label values it validates) are shown, never interpreted. */
export const HOSTILE_ANNOTATIONS: Record<string, string> = {
  'e2e.test/markup':   HOSTILE.imgTag,
  'e2e.test/quotes':   HOSTILE.quotes,
  'e2e.test/template': HOSTILE.template,
};

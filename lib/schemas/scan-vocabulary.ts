/** The scanner's page types, issue categories and severities: the postback's enums and the API's filters. */
export const PAGE_TYPES = [
  'home',
  'landing',
  'product',
  'category',
  'article',
  'search',
  'login',
  'signup',
  'account',
  'cart',
  'checkout',
  'contact',
  'legal',
  'blog',
  'docs',
  'error',
  'other',
] as const;
export const ISSUE_CATEGORIES = [
  'security',
  'privacy',
  'compliance',
  'performance',
  'accessibility',
  'seo',
  'availability',
  'content',
  'best_practices',
  'other',
] as const;
export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

import 'server-only';
import { CLIENT_ERROR_CODES } from './error-messages';
import { isSagError, type SagError } from './errors';
import { clientError } from './input-checks';
import type { DescribeClientUsersInput, SagClientUser, SagClientUserPage } from './operations';

/**
 * Follows the pages of DescribeSmartAccessGatewayClientUsers, bounded whatever the endpoint answers: at most
 * `maxPages` calls, a page size that is never taken as 0 (an answer saying `PageSize: 0` would otherwise
 * make `pageNumber * pageSize >= TotalCount` never true), and a stop at the first short or empty page. A list
 * that has not ended after `maxPages` is a SagError (SagClient.ListingIncomplete): what it lacks proves
 * nothing. The one way sag-roam reads a whole account list: the worker's check of the target, "verify on
 * target" and the account picker's "select all".
 */

export interface ClientUserLister {
  describeSmartAccessGatewayClientUsers(input: DescribeClientUsersInput): Promise<SagClientUserPage>;
}

export interface ClientUserQuery {
  regionId: string;
  smartAGId: string;
  /** The API's filter; it matches parts of names, so callers compare exactly themselves. */
  userName?: string;
}

export interface ListAllOptions {
  /** Asked of the API per page. */
  pageSize?: number;
  /** Calls at most; an instance holds at most 2,000 accounts, 20 pages of 100. */
  maxPages?: number;
  /** Stop as soon as a page holds an account this accepts (the listing then counts as complete). */
  until?: (user: SagClientUser) => boolean;
  /** Waited for before each page (the rate limiter's pace). */
  beforePage?: () => Promise<void>;
  /** Stops between pages when aborted (the reader went away). */
  signal?: AbortSignal;
}

export interface ClientUserListing {
  users: SagClientUser[];
  /** RequestId of the last page read. */
  requestId: string | undefined;
  pages: number;
  /** True when `until` accepted an account. */
  found: boolean;
}

/**
 * Accounts asked per page: the bound of the older document (the current ones give none), so that an instance's
 * 2,000 accounts take 20 calls of the account's rate budget rather than 40.
 */
export const CLIENT_USERS_PAGE_SIZE = 100;
/** Asked instead, from then on, of an endpoint that refuses a page of 100 for its size. */
export const CLIENT_USERS_FALLBACK_PAGE_SIZE = 50;
export const MAX_CLIENT_USER_PAGES = 100;

/**
 * The page size an endpoint serves, from its answer to page 1: the size it claims unless that is nonsense,
 * never more than asked, and the number it gave when that is fewer while its total says there are more (an
 * endpoint that caps pages lower than asked, whatever it echoes). Later pages are asked at this size, so that
 * the endpoint's page numbers count the same accounts as ours.
 */
export function servedPageSize(asked: number, first: SagClientUserPage): number {
  const claimed = first.pageSize >= 1 ? Math.min(first.pageSize, asked) : asked;
  const held = first.users.length;
  return held > 0 && held < claimed && first.totalCount > held ? held : claimed;
}

/** A refusal of the page size itself (`InvalidPageSize`, or an `InvalidParameter` that names PageSize). */
function refusesPageSize(error: unknown): boolean {
  if (!isSagError(error) || error.httpStatus === undefined || error.httpStatus >= 500) return false;
  return (
    /PageSize/i.test(error.code) || (/^InvalidParameter/.test(error.code) && /PageSize/i.test(error.message))
  );
}

export async function listAllClientUsers(
  api: ClientUserLister,
  query: ClientUserQuery,
  options: ListAllOptions = {},
): Promise<ClientUserListing> {
  let pageSize = options.pageSize ?? CLIENT_USERS_PAGE_SIZE;
  const maxPages = options.maxPages ?? MAX_CLIENT_USER_PAGES;
  const users: SagClientUser[] = [];
  let requestId: string | undefined;
  for (let pageNumber = 1; pageNumber <= maxPages; pageNumber += 1) {
    options.signal?.throwIfAborted();
    await options.beforePage?.();
    options.signal?.throwIfAborted();
    let page: SagClientUserPage;
    try {
      page = await api.describeSmartAccessGatewayClientUsers({ ...query, pageNumber, pageSize });
    } catch (error) {
      // Once, on the first page: the documents disagree on the largest page, so a refusal of 100 asks 50.
      if (pageNumber === 1 && pageSize > CLIENT_USERS_FALLBACK_PAGE_SIZE && refusesPageSize(error)) {
        pageSize = CLIENT_USERS_FALLBACK_PAGE_SIZE;
        pageNumber = 0;
        continue;
      }
      throw error;
    }
    if (pageNumber === 1) pageSize = servedPageSize(pageSize, page);
    requestId = page.requestId;
    users.push(...page.users);
    const listing = { users, requestId, pages: pageNumber };
    if (options.until && page.users.some(options.until)) return { ...listing, found: true };
    // The page size the answer claims, unless it is nonsense; a page shorter than it is the last one.
    const effectivePageSize = page.pageSize >= 1 ? Math.min(page.pageSize, pageSize) : pageSize;
    const last =
      page.users.length === 0 ||
      page.users.length < effectivePageSize ||
      pageNumber * effectivePageSize >= page.totalCount;
    if (last) return { ...listing, found: false };
  }
  throw listingIncomplete(maxPages, requestId);
}

function listingIncomplete(pages: number, requestId: string | undefined): SagError {
  return clientError(
    CLIENT_ERROR_CODES.listingIncomplete,
    'DescribeSmartAccessGatewayClientUsers',
    `The client account list did not end within ${pages} pages.`,
    requestId,
  );
}

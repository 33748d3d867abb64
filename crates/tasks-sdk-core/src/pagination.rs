//! Lazy streams over every item of a paginated list operation.
//!
//! The generator writes, for each list operation, a `stream()` method that tells
//! [`Items`] how to ask for a page (set the cursor, the page number, the offset, or
//! follow a link) and where a page keeps its items and its signals (read from the
//! overlay's `x-pagination`, or detected from conventional field names). It hands them
//! over as a [`Page`]. The loop itself is here, once:
//!
//! - a page is fetched only when the consumer has taken every item of the previous one,
//!   so memory holds one page at a time;
//! - the stream ends on the documented signal, and **no request is made past the
//!   documented end** (the rules per style are below);
//! - a provider going in circles ends the stream with [`Error::Pagination`] instead of
//!   looping (the guards are below);
//! - [`Items::max_items`] and [`Items::max_pages`] bound every style;
//! - every page goes through the client's runtime (retries, errors); an error is
//!   yielded after the items already read, and ends the stream.
//!
//! # Styles
//!
//! | Constructor | What `fetch` receives | The stream ends when |
//! |---|---|---|
//! | [`Items::cursor`] | `None`, then the previous page's `next_cursor` | `more: Some(false)`, or no next cursor (`None` or `""`) |
//! | [`Items::links`] | `None`, then the previous page's next link (in `next_cursor`) | `more: Some(false)`, or no next link (`None` or `""`) |
//! | [`Items::pages`], [`Items::pages_from`] | `1, 2, 3, ...` (or `first, first + 1, ...`) | the positional rules below |
//! | [`Items::offset`] | `0`, then the previous offset + the items received | the positional rules below |
//! | [`Items::single`] | (one future) | after its only page |
//!
//! **Cursor and link styles** trust the cursor or link alone: `more: Some(true)`
//! without a next cursor still ends the stream (there is nothing to ask for), and
//! totals and short pages are ignored (a cursor API may return short pages anywhere).
//! For [`Items::links`], the generated code puts the next page's URL or path in
//! [`Page::next_cursor`], taken from the body or from the RFC 8288 `Link` header
//! ([`next_link`]), and fetches it with [`follow_link`]: resolved against the client's
//! base URL ([`resolve_link`]), through the client's runtime (the credential only on the
//! base URL's origin, retries, the same errors, the page decoded as the operation's
//! page type).
//!
//! **Page and offset styles** (the *positional* styles) look at the page's signals in
//! this order, and the first one present decides:
//!
//! 1. `more: Some(false)` ends the stream; `more: Some(true)` asks for the next page,
//!    whatever the totals or the page's length say (an API that filters pages on the
//!    server may return short or empty pages before the end);
//! 2. totals: the stream ends when `total_pages` is known and the page just read is
//!    the last one (the `total_pages`-th page from the first, so page `total_pages - 1`
//!    with [`Items::pages_from(0, ..)`](Items::pages_from)), or when `total_items` is
//!    known and the items received so far (for offsets: the next offset) are at least
//!    `total_items`; if both are known, either one ends it. A total given by an earlier
//!    page is remembered when a later page leaves it out. Totals win over the page
//!    length, because servers often clamp the requested page size;
//! 3. a short page: when [`Items::page_size`] told the stream the page size the client
//!    asked for, a page with fewer items is the last (set it only when the server
//!    honours the requested size, or totals are present);
//! 4. no signal at all: an empty page is the end (so such an API costs one request
//!    past its last item, the only case where the end is not documented).
//!
//! Hence 25 items in pages of 10 cost exactly 3 requests with `has_next`/`has_more`,
//! `total_pages`, `total_items`, a known page size, a next cursor or a next link.
//!
//! # Guards
//!
//! Each of these ends the stream with [`Error::Pagination`], after the items of the
//! page that tripped it:
//!
//! - a cursor (cursor style) or link (link style) that was returned before; only an
//!   8-byte hash of each is kept, so a long listing stays small;
//! - [`Items::MAX_EMPTY_PAGES`] empty pages in a row that still ask for a next page
//!   (through `more: Some(true)`, or a next cursor or link);
//! - page and offset styles: an empty page while only `total_items`/`total_pages` say
//!   there is more (the total is wrong, and every later position would be empty too,
//!   so no further request is made);
//! - a page number that would overflow `u64`.

use std::collections::HashSet;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use futures_util::future::BoxFuture;

use crate::call::Response;
use crate::error::Error;
pub use crate::link::{follow_link, resolve_link};

/// What a page says about itself, extracted by generated code.
///
/// Build one with [`Page::new`] and the chainable setters, so that a signal added later
/// does not break generated code:
///
/// ```
/// # use tasks_sdk_core::Page;
/// let page = Page::new(vec!["a", "b"])
///     .more(Some(true))
///     .total_items(Some(25));
/// assert_eq!(page.items, ["a", "b"]);
/// assert_eq!(page.next_cursor, None);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Page<T> {
    /// The page's items, in order.
    pub items: Vec<T>,
    /// The cursor for the next page (cursor style) or the next page's URL or path (link
    /// style), when the page has one.
    pub next_cursor: Option<String>,
    /// The page's own "there is more" flag (`has_more`, `has_next`), when it has one.
    pub more: Option<bool>,
    /// The number of items of the whole listing, when the page says it (`totalItems`).
    pub total_items: Option<u64>,
    /// The number of pages of the whole listing, when the page says it (`totalPages`).
    pub total_pages: Option<u64>,
    /// The metadata of the response the page came in (status, headers, request id,
    /// attempts), when the fetch kept it; [`Items::last_response`] shows it.
    pub response: Option<Response<()>>,
}

impl<T> Page<T> {
    /// A page holding `items` and no signal.
    pub fn new(items: Vec<T>) -> Self {
        Page {
            items,
            next_cursor: None,
            more: None,
            total_items: None,
            total_pages: None,
            response: None,
        }
    }

    /// Sets the metadata of the response the page came in.
    #[must_use]
    pub fn response(mut self, response: Response<()>) -> Self {
        self.response = Some(response);
        self
    }

    /// Sets the next cursor (cursor style) or next link (link style).
    #[must_use]
    pub fn next_cursor(mut self, next_cursor: Option<String>) -> Self {
        self.next_cursor = next_cursor;
        self
    }

    /// Sets the page's "there is more" flag.
    #[must_use]
    pub fn more(mut self, more: Option<bool>) -> Self {
        self.more = more;
        self
    }

    /// Sets the number of items of the whole listing.
    #[must_use]
    pub fn total_items(mut self, total_items: Option<u64>) -> Self {
        self.total_items = total_items;
        self
    }

    /// Sets the number of pages of the whole listing.
    #[must_use]
    pub fn total_pages(mut self, total_pages: Option<u64>) -> Self {
        self.total_pages = total_pages;
        self
    }
}

/// Where the next page is.
enum Next {
    Cursor(Option<String>),
    Link(Option<String>),
    Page(u64),
    Offset(u64),
    Done,
}

type Fetch<'a, T> = Box<dyn FnMut(&Next) -> BoxFuture<'a, Result<Page<T>, Error>> + Send + 'a>;

/// A lazy stream of every item of a list operation, page after page. Build one with an
/// operation builder's generated `stream()`; the [module docs](self) give the rules.
pub struct Items<'a, T> {
    fetch: Fetch<'a, T>,
    next: Next,
    in_flight: Option<BoxFuture<'a, Result<Page<T>, Error>>>,
    buffer: std::vec::IntoIter<T>,
    /// An error found while reading a page, yielded after that page's items.
    deferred: Option<Error>,
    /// Hashes of the cursors or links seen: 8 bytes a page, so a long listing stays small.
    seen_cursors: HashSet<u64>,
    empty_pages_in_a_row: usize,
    /// The first page number (page style).
    first_page: u64,
    /// The page size the client asked for, when the stream was told.
    page_size: Option<u64>,
    /// The last totals a page gave.
    total_items: Option<u64>,
    total_pages: Option<u64>,
    /// Items received in pages (yielded or not).
    received: u64,
    pages: usize,
    items: usize,
    max_items: Option<usize>,
    max_pages: Option<usize>,
    /// The metadata of the last page's response.
    last_response: Option<Response<()>>,
}

impl<'a, T: Send + 'a> Items<'a, T> {
    /// Empty pages in a row that still say "more" before the stream gives up.
    pub const MAX_EMPTY_PAGES: usize = 3;

    fn new(fetch: Fetch<'a, T>, first: Next) -> Self {
        Items {
            fetch,
            next: first,
            in_flight: None,
            buffer: Vec::new().into_iter(),
            deferred: None,
            seen_cursors: HashSet::new(),
            empty_pages_in_a_row: 0,
            first_page: 1,
            page_size: None,
            total_items: None,
            total_pages: None,
            received: 0,
            pages: 0,
            items: 0,
            max_items: None,
            max_pages: None,
            last_response: None,
        }
    }

    /// Cursor pagination: `fetch(None)` gets the first page, `fetch(Some(cursor))` the
    /// page after the one that returned `cursor` in [`Page::next_cursor`].
    pub fn cursor<F, Fut>(mut fetch: F) -> Self
    where
        F: FnMut(Option<String>) -> Fut + Send + 'a,
        Fut: Future<Output = Result<Page<T>, Error>> + Send + 'a,
    {
        let fetch: Fetch<'a, T> = Box::new(move |next| match next {
            Next::Cursor(cursor) => Box::pin(fetch(cursor.clone())),
            _ => unreachable!("a cursor stream only asks for cursors"),
        });
        Items::new(fetch, Next::Cursor(None))
    }

    /// Link pagination: `fetch(None)` gets the first page, `fetch(Some(link))` the page
    /// at the next-page URL or path the previous page gave in [`Page::next_cursor`]
    /// (from its body, or from its `Link` header through [`next_link`]).
    pub fn links<F, Fut>(mut fetch: F) -> Self
    where
        F: FnMut(Option<String>) -> Fut + Send + 'a,
        Fut: Future<Output = Result<Page<T>, Error>> + Send + 'a,
    {
        let fetch: Fetch<'a, T> = Box::new(move |next| match next {
            Next::Link(link) => Box::pin(fetch(link.clone())),
            _ => unreachable!("a link stream only asks for links"),
        });
        Items::new(fetch, Next::Link(None))
    }

    /// Page-number pagination from page 1: `fetch(1)`, `fetch(2)`, ... until the page
    /// style's end rules say stop.
    pub fn pages<F, Fut>(fetch: F) -> Self
    where
        F: FnMut(u64) -> Fut + Send + 'a,
        Fut: Future<Output = Result<Page<T>, Error>> + Send + 'a,
    {
        Self::pages_from(1, fetch)
    }

    /// Page-number pagination from page `first` (0 for 0-based APIs): `fetch(first)`,
    /// `fetch(first + 1)`, ...; `total_pages` counts from `first`.
    pub fn pages_from<F, Fut>(first: u64, mut fetch: F) -> Self
    where
        F: FnMut(u64) -> Fut + Send + 'a,
        Fut: Future<Output = Result<Page<T>, Error>> + Send + 'a,
    {
        let fetch: Fetch<'a, T> = Box::new(move |next| match next {
            Next::Page(n) => Box::pin(fetch(*n)),
            _ => unreachable!("a page stream only asks for page numbers"),
        });
        let mut items = Items::new(fetch, Next::Page(first));
        items.first_page = first;
        items
    }

    /// Offset pagination: `fetch(0)`, then `fetch(offset + items received)`, ... until
    /// the offset style's end rules say stop.
    pub fn offset<F, Fut>(mut fetch: F) -> Self
    where
        F: FnMut(u64) -> Fut + Send + 'a,
        Fut: Future<Output = Result<Page<T>, Error>> + Send + 'a,
    {
        let fetch: Fetch<'a, T> = Box::new(move |next| match next {
            Next::Offset(offset) => Box::pin(fetch(*offset)),
            _ => unreachable!("an offset stream only asks for offsets"),
        });
        Items::new(fetch, Next::Offset(0))
    }

    /// An operation that returns everything at once: one page, then the end.
    pub fn single<Fut>(page: Fut) -> Self
    where
        Fut: Future<Output = Result<Page<T>, Error>> + Send + 'a,
    {
        let mut page = Some(page);
        let fetch: Fetch<'a, T> = Box::new(move |_| match page.take() {
            Some(page) => Box::pin(page),
            None => unreachable!("a single-page stream fetches once"),
        });
        let mut items = Items::new(fetch, Next::Page(1));
        items.max_pages = Some(1);
        items
    }

    /// The page size the client asked for (its `limit`, `per_page`, ...), so that page
    /// and offset styles end on a page with fewer items. `0` means unknown. Cursor and
    /// link styles ignore it. A generated `stream()` passes the value set on the
    /// builder's page size parameter (the overlay's `limit_param`), else that
    /// parameter's documented `default`, else the overlay's `page_size`.
    pub fn page_size(mut self, n: u64) -> Self {
        self.page_size = (n > 0).then_some(n);
        self
    }

    /// Every item, in order, or the first error (the items read before it are dropped):
    /// for a listing small enough to hold, without `StreamExt`.
    pub async fn collect_all(mut self) -> Result<Vec<T>, Error> {
        let mut all = Vec::new();
        while let Some(item) = futures_util::StreamExt::next(&mut self).await {
            all.push(item?);
        }
        Ok(all)
    }

    /// Stops after `n` items (no page is fetched beyond the one holding the n-th).
    pub fn max_items(mut self, n: usize) -> Self {
        self.max_items = Some(n);
        self
    }

    /// Stops after `n` pages.
    pub fn max_pages(mut self, n: usize) -> Self {
        self.max_pages = Some(n.min(self.max_pages.unwrap_or(usize::MAX)));
        self
    }

    /// Pages fetched so far.
    pub fn pages_fetched(&self) -> usize {
        self.pages
    }

    /// Items yielded so far.
    pub fn items_yielded(&self) -> usize {
        self.items
    }

    /// The metadata of the response the last page came in (status, headers, request id,
    /// attempts); `None` before the first page. The items being yielded are that page's.
    ///
    /// ```no_run
    /// # use tasks_sdk_core::{Error, Items};
    /// # async fn example(mut items: Items<'_, String>) -> Result<(), Error> {
    /// use futures_util::StreamExt;
    /// while let Some(item) = items.next().await {
    ///     let item = item?;
    ///     if let Some(response) = items.last_response() {
    ///         println!("{item} from request {:?}", response.request_id());
    ///     }
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn last_response(&self) -> Option<&Response<()>> {
        self.last_response.as_ref()
    }

    /// Where the page after `page` is, or an error if the provider is going in circles.
    fn after(&mut self, page: &Page<T>) -> Result<Next, Error> {
        self.received = self.received.saturating_add(page.items.len() as u64);
        if page.total_items.is_some() {
            self.total_items = page.total_items;
        }
        if page.total_pages.is_some() {
            self.total_pages = page.total_pages;
        }
        let next = self.decide(page)?;
        if page.items.is_empty() && !matches!(next, Next::Done) {
            self.empty_pages_in_a_row += 1;
            if self.empty_pages_in_a_row >= Self::MAX_EMPTY_PAGES {
                return Err(Error::Pagination {
                    reason: format!(
                        "{} empty pages in a row still say there is more",
                        self.empty_pages_in_a_row
                    ),
                });
            }
        } else {
            self.empty_pages_in_a_row = 0;
        }
        Ok(next)
    }

    fn decide(&mut self, page: &Page<T>) -> Result<Next, Error> {
        if page.more == Some(false) {
            return Ok(Next::Done);
        }
        Ok(match &self.next {
            Next::Cursor(_) => match self.next_token(page, "cursor")? {
                Some(cursor) => Next::Cursor(Some(cursor)),
                None => Next::Done,
            },
            Next::Link(_) => match self.next_token(page, "link")? {
                Some(link) => Next::Link(Some(link)),
                None => Next::Done,
            },
            &Next::Page(n) => {
                let position = n.saturating_sub(self.first_page).saturating_add(1);
                if !self.positional_more(page, position, || format!("page {n}"))? {
                    Next::Done
                } else {
                    match n.checked_add(1) {
                        Some(n) => Next::Page(n),
                        None => {
                            return Err(Error::Pagination {
                                reason: format!("page number {n} has no successor"),
                            });
                        }
                    }
                }
            }
            &Next::Offset(offset) => {
                let what = || format!("the page at offset {offset}");
                if self.positional_more(page, self.pages as u64, what)? {
                    Next::Offset(offset.saturating_add(page.items.len() as u64))
                } else {
                    Next::Done
                }
            }
            Next::Done => Next::Done,
        })
    }

    /// The next cursor or link, `None` at the end, an error if it came back.
    fn next_token(&mut self, page: &Page<T>, what: &str) -> Result<Option<String>, Error> {
        match page.next_cursor.as_deref() {
            None | Some("") => Ok(None),
            Some(token) => {
                if !self.seen_cursors.insert(hash(token)) {
                    return Err(Error::Pagination {
                        reason: format!("{what} {token:?} was returned before"),
                    });
                }
                Ok(Some(token.to_owned()))
            }
        }
    }

    /// Whether a page or offset stream goes on after `page`, the `position`-th page of
    /// the stream (see the module docs for the order of the rules).
    fn positional_more(
        &self,
        page: &Page<T>,
        position: u64,
        what: impl FnOnce() -> String,
    ) -> Result<bool, Error> {
        if let Some(more) = page.more {
            return Ok(more);
        }
        if self.total_items.is_some() || self.total_pages.is_some() {
            let more = self.total_pages.is_none_or(|total| position < total)
                && self.total_items.is_none_or(|total| self.received < total);
            if more && page.items.is_empty() {
                return Err(Error::Pagination {
                    reason: format!(
                        "{} is empty after {} items, but the listing says it has {}",
                        what(),
                        self.received,
                        match (self.total_items, self.total_pages) {
                            (Some(items), Some(pages)) => format!("{items} items in {pages} pages"),
                            (Some(items), None) => format!("{items} items"),
                            (None, Some(pages)) => format!("{pages} pages"),
                            (None, None) => unreachable!("a total is known"),
                        }
                    ),
                });
            }
            return Ok(more);
        }
        Ok(match self.page_size {
            Some(size) => page.items.len() as u64 >= size,
            None => !page.items.is_empty(),
        })
    }
}

// Items are moved out of the buffer, never pinned in place.
impl<T> Unpin for Items<'_, T> {}

impl<'a, T: Send + 'a> Stream for Items<'a, T> {
    type Item = Result<T, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if this.max_items.is_some_and(|max| this.items >= max) {
                this.next = Next::Done;
                this.in_flight = None;
                return Poll::Ready(None);
            }
            if let Some(item) = this.buffer.next() {
                this.items += 1;
                return Poll::Ready(Some(Ok(item)));
            }
            if let Some(e) = this.deferred.take() {
                return Poll::Ready(Some(Err(e)));
            }
            if this.in_flight.is_none() {
                // The used-up page's allocation is freed before the next page arrives.
                this.buffer = Vec::new().into_iter();
                if matches!(this.next, Next::Done)
                    || this.max_pages.is_some_and(|max| this.pages >= max)
                {
                    this.next = Next::Done;
                    return Poll::Ready(None);
                }
                this.in_flight = Some((this.fetch)(&this.next));
            }
            let page = match this
                .in_flight
                .as_mut()
                .expect("set above")
                .as_mut()
                .poll(cx)
            {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(page) => page,
            };
            this.in_flight = None;
            this.pages += 1;
            let page = match page {
                Ok(page) => page,
                Err(e) => {
                    this.next = Next::Done;
                    return Poll::Ready(Some(Err(e)));
                }
            };
            let last_allowed = this.max_pages.is_some_and(|max| this.pages >= max);
            match if last_allowed {
                Ok(Next::Done)
            } else {
                this.after(&page)
            } {
                Ok(next) => this.next = next,
                Err(e) => {
                    // This page's items first, then the error.
                    this.next = Next::Done;
                    this.deferred = Some(e);
                }
            }
            if page.response.is_some() {
                this.last_response = page.response;
            }
            this.buffer = page.items.into_iter();
        }
    }
}

fn hash(cursor: &str) -> u64 {
    use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
    // Fixed keys: the same cursor always hashes the same within a stream.
    BuildHasherDefault::<DefaultHasher>::default().hash_one(cursor)
}

impl<T> fmt::Debug for Items<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items")
            .field("pages", &self.pages)
            .field("items", &self.items)
            .field("page_size", &self.page_size)
            .field("max_items", &self.max_items)
            .field("max_pages", &self.max_pages)
            .finish_non_exhaustive()
    }
}

/// A page's count field (`total`, `totalPages`, `total_count`) as the `u64` that
/// [`Page::total_items`] and [`Page::total_pages`] take, or a page size parameter's value
/// as the `u64` that [`Items::page_size`] takes, whatever integer or number type the spec
/// gave it (`i64`, `NonZeroU32`, `f64`, ...); negative, fractional or absurd values are
/// no count at all.
pub fn total<N: TotalCount>(n: N) -> Option<u64> {
    n.total()
}

/// A numeric type a page may count its items or pages in (see [`total`]).
pub trait TotalCount {
    /// The count, when it is a whole number from 0 to `u64::MAX`.
    fn total(self) -> Option<u64>;
}

macro_rules! integer_totals {
    ($($t:ty),*) => {$(
        impl TotalCount for $t {
            fn total(self) -> Option<u64> {
                u64::try_from(self).ok()
            }
        }
    )*};
}
integer_totals!(
    i8, i16, i32, i64, i128, u8, u16, u32, u64, u128, usize, isize
);

macro_rules! nonzero_totals {
    ($($t:ty),*) => {$(
        impl TotalCount for $t {
            fn total(self) -> Option<u64> {
                self.get().total()
            }
        }
    )*};
}
nonzero_totals!(
    std::num::NonZeroU8,
    std::num::NonZeroU16,
    std::num::NonZeroU32,
    std::num::NonZeroU64,
    std::num::NonZeroU128,
    std::num::NonZeroUsize,
    std::num::NonZeroI8,
    std::num::NonZeroI16,
    std::num::NonZeroI32,
    std::num::NonZeroI64,
    std::num::NonZeroI128,
    std::num::NonZeroIsize
);

impl TotalCount for f64 {
    fn total(self) -> Option<u64> {
        (self.is_finite() && self >= 0.0 && self.fract() == 0.0 && self < u64::MAX as f64)
            .then_some(self as u64)
    }
}

impl TotalCount for f32 {
    fn total(self) -> Option<u64> {
        f64::from(self).total()
    }
}

#[cfg(test)]
mod total_tests {
    use super::total;

    #[test]
    fn counts_of_any_numeric_type() {
        assert_eq!(total(25_i64), Some(25));
        assert_eq!(total(-1_i64), None);
        assert_eq!(total(3.0_f64), Some(3));
        assert_eq!(total(2.5_f64), None);
        assert_eq!(total(f64::NAN), None);
        assert_eq!(total(std::num::NonZeroU64::new(7).unwrap()), Some(7));
        assert_eq!(total(std::num::NonZeroU8::new(7).unwrap()), Some(7));
        assert_eq!(total(std::num::NonZeroI16::new(-7).unwrap()), None);
        assert_eq!(total(u128::MAX), None);
        assert_eq!(total(30_i128), Some(30));
    }
}

/// The target of the `rel="next"` link of RFC 8288 `Link` headers, as written (it may be
/// relative to the request URL): the first one, across every `Link` header line in
/// order. Parses several links per line, quoted or bare `rel` values, several
/// relation types in one `rel` (`rel="next last"`), any case, and `;` or `,` inside
/// `<...>` or quoted parameters. Anything it cannot parse gives `None` for that link;
/// it never panics.
///
/// ```
/// # use http::{HeaderMap, HeaderValue, header::LINK};
/// # use tasks_sdk_core::next_link;
/// let mut headers = HeaderMap::new();
/// headers.insert(
///     LINK,
///     HeaderValue::from_static(
///         r#"<https://api.example/items?page=1>; rel="prev", <https://api.example/items?page=3>; rel="next""#,
///     ),
/// );
/// assert_eq!(next_link(&headers).as_deref(), Some("https://api.example/items?page=3"));
/// ```
pub fn next_link(headers: &http::HeaderMap) -> Option<String> {
    headers
        .get_all(http::header::LINK)
        .iter()
        .filter_map(|value| std::str::from_utf8(value.as_bytes()).ok())
        .find_map(next_in_line)
}

/// The `rel=next` target of one `Link` header line.
fn next_in_line(line: &str) -> Option<String> {
    let mut p = Parser {
        s: line.as_bytes(),
        at: 0,
    };
    loop {
        p.skip(|b| b == b',' || is_ws(b));
        match p.peek()? {
            b'<' => {
                p.at += 1;
                let start = p.at;
                p.skip(|b| b != b'>');
                p.peek()?; // No closing `>`: nothing more to trust on this line.
                let target = line[start..p.at].trim();
                p.at += 1;
                let is_next = p.params_say_next();
                if is_next && !target.is_empty() {
                    return Some(target.to_owned());
                }
            }
            // Not a link-value: skip to the next one.
            _ => p.skip_value(b","),
        }
    }
}

fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t')
}

/// A byte cursor over one header line; every delimiter it stops at is ASCII, so every
/// index it keeps is a char boundary.
struct Parser<'s> {
    s: &'s [u8],
    at: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.at).copied()
    }

    fn skip(&mut self, while_: impl Fn(u8) -> bool) {
        while self.peek().is_some_and(&while_) {
            self.at += 1;
        }
    }

    /// Skips a token or quoted string, up to (not past) one of `stops` outside quotes.
    fn skip_value(&mut self, stops: &[u8]) {
        while let Some(b) = self.peek() {
            if stops.contains(&b) {
                return;
            }
            if b == b'"' {
                self.quoted();
            } else {
                self.at += 1;
            }
        }
    }

    /// Reads a quoted string at `"`, unescaping `\x`; an unterminated one ends the line.
    fn quoted(&mut self) -> Vec<u8> {
        let mut out = Vec::new();
        self.at += 1;
        while let Some(b) = self.peek() {
            self.at += 1;
            match b {
                b'"' => break,
                b'\\' => {
                    if let Some(escaped) = self.peek() {
                        out.push(escaped);
                        self.at += 1;
                    }
                }
                _ => out.push(b),
            }
        }
        out
    }

    /// Reads the `; name=value` parameters of one link-value (up to the `,` that ends it)
    /// and says whether its first `rel` names `next`.
    fn params_say_next(&mut self) -> bool {
        let mut rel: Option<Vec<u8>> = None;
        loop {
            self.skip(is_ws);
            match self.peek() {
                None | Some(b',') => break,
                Some(b';') => self.at += 1,
                // Garbage between parameters: skip it.
                Some(_) => {
                    self.skip_value(b";,");
                    continue;
                }
            }
            self.skip(is_ws);
            let start = self.at;
            self.skip(|b| !matches!(b, b'=' | b';' | b',' | b'"') && !is_ws(b));
            let name = &self.s[start..self.at];
            self.skip(is_ws);
            if self.peek() != Some(b'=') {
                continue;
            }
            self.at += 1;
            self.skip(is_ws);
            let value = if self.peek() == Some(b'"') {
                self.quoted()
            } else {
                let start = self.at;
                self.skip(|b| !matches!(b, b';' | b',') && !is_ws(b));
                self.s[start..self.at].to_vec()
            };
            // RFC 8288 3.3: occurrences of `rel` after the first are ignored.
            if rel.is_none() && name.eq_ignore_ascii_case(b"rel") {
                rel = Some(value);
            }
        }
        rel.is_some_and(|rel| {
            rel.split(|&b| is_ws(b))
                .any(|relation| relation.eq_ignore_ascii_case(b"next"))
        })
    }
}

#[cfg(test)]
mod tests {
    use http::header::LINK;
    use http::{HeaderMap, HeaderValue};

    use super::next_link;

    fn headers(lines: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for line in lines {
            headers.append(LINK, HeaderValue::from_str(line).unwrap());
        }
        headers
    }

    fn next(lines: &[&str]) -> Option<String> {
        next_link(&headers(lines))
    }

    #[test]
    fn no_link_header_is_no_next_link() {
        assert_eq!(next_link(&HeaderMap::new()), None);
    }

    #[test]
    fn a_single_quoted_next() {
        assert_eq!(
            next(&[r#"<https://api.example/items?page=2>; rel="next""#]).as_deref(),
            Some("https://api.example/items?page=2")
        );
    }

    #[test]
    fn a_bare_next() {
        assert_eq!(
            next(&["</items?page=2>;rel=next"]).as_deref(),
            Some("/items?page=2")
        );
    }

    #[test]
    fn several_links_in_one_header_github_style() {
        let line = r#"<https://api.github.com/repositories/1/issues?page=1>; rel="prev", <https://api.github.com/repositories/1/issues?page=3>; rel="next", <https://api.github.com/repositories/1/issues?page=5>; rel="last", <https://api.github.com/repositories/1/issues?page=1>; rel="first""#;
        assert_eq!(
            next(&[line]).as_deref(),
            Some("https://api.github.com/repositories/1/issues?page=3")
        );
    }

    #[test]
    fn links_across_several_header_lines() {
        assert_eq!(
            next(&[r#"</a?p=1>; rel="prev""#, r#"</a?p=3>; rel="next""#]).as_deref(),
            Some("/a?p=3")
        );
        assert_eq!(
            next(&[r#"</a?p=1>; rel="first""#, r#"</a?p=9>; rel="last""#]),
            None
        );
    }

    #[test]
    fn the_first_next_wins() {
        assert_eq!(
            next(&[
                r#"</one>; rel=next, </two>; rel=next"#,
                "</three>; rel=next"
            ])
            .as_deref(),
            Some("/one")
        );
    }

    #[test]
    fn a_rel_with_several_relation_types() {
        assert_eq!(
            next(&[r#"</last>; rel="next last""#]).as_deref(),
            Some("/last")
        );
        assert_eq!(next(&["</x>; rel=\"last\tnext\""]).as_deref(), Some("/x"));
        assert_eq!(next(&[r#"</x>; rel="nextpage last""#]), None);
    }

    #[test]
    fn rel_name_and_value_are_case_insensitive() {
        assert_eq!(next(&["</x>; REL=NEXT"]).as_deref(), Some("/x"));
        assert_eq!(next(&[r#"</y>; Rel="Next""#]).as_deref(), Some("/y"));
    }

    #[test]
    fn semicolons_and_commas_inside_the_url() {
        assert_eq!(
            next(&[r#"<https://x.example/a;v=1?ids=1,2,3>; rel="next""#]).as_deref(),
            Some("https://x.example/a;v=1?ids=1,2,3")
        );
        assert_eq!(
            next(&[r#"</p;a,b>; rel="prev", </n;c,d>; rel="next""#]).as_deref(),
            Some("/n;c,d")
        );
    }

    #[test]
    fn other_parameters_and_quoted_strings_do_not_confuse_it() {
        // `rel=next` inside another parameter's quoted value is not a relation.
        assert_eq!(
            next(&[
                r#"</a>; title="rel=next; x, y"; rel="prev", </b>; rel="next"; title="Next, page""#
            ])
            .as_deref(),
            Some("/b")
        );
        // An escaped quote inside a quoted string.
        assert_eq!(
            next(&[r#"</a>; title="say \"hi\", rel=next"; rel=prev"#]),
            None
        );
        // Spaces around `=` and `;`, and an extra parameter before `rel`.
        assert_eq!(
            next(&[r#"</c> ;  type="text/html" ; rel = "next""#]).as_deref(),
            Some("/c")
        );
        // Only the first `rel` counts.
        assert_eq!(next(&[r#"</d>; rel="prev"; rel="next""#]), None);
    }

    #[test]
    fn a_link_without_rel_next_is_skipped() {
        assert_eq!(next(&[r#"</a>; rel="prev""#]), None);
        assert_eq!(next(&["</a>"]), None);
        assert_eq!(next(&["</a>; rel"]), None);
        assert_eq!(next(&["</a>; rel="]), None);
        assert_eq!(next(&[r##"</a>; anchor="#x""##]), None);
    }

    #[test]
    fn an_empty_target_is_skipped() {
        assert_eq!(next(&["<>; rel=next"]), None);
        assert_eq!(
            next(&["<  >; rel=next, </b>; rel=next"]).as_deref(),
            Some("/b")
        );
    }

    #[test]
    fn garbage_gives_none_and_never_panics() {
        for line in [
            "",
            " ",
            ",,,",
            ";;;",
            "<",
            ">",
            "<>",
            "<https://x.example/a",
            "<https://x.example/a; rel=next",
            "https://x.example/a; rel=next",
            "rel=next",
            "; rel=next",
            "<a>; rel=\"next",
            "<a>; rel=\"",
            "<a>; rel=\"\\",
            "<a>; =next",
            "<a>; ; ; rel",
            "<a> garbage; rel=prev",
            "\"<a>; rel=next\"",
            "<a>\"; rel=next",
        ] {
            let _ = next(&[line]);
        }
        assert_eq!(next(&["https://x.example/a; rel=next"]), None);
        assert_eq!(next(&["<https://x.example/a; rel=next"]), None);
        assert_eq!(next(&["rel=next"]), None);
        // A garbage value before a good one does not hide it.
        assert_eq!(
            next(&["garbage; rel=next, </ok>; rel=next"]).as_deref(),
            Some("/ok")
        );
        // Garbage between a link and its parameters.
        assert_eq!(next(&["</ok> junk; rel=next"]).as_deref(), Some("/ok"));
        // An unterminated quote in a parameter.
        assert_eq!(next(&["</a>; rel=\"next"]).as_deref(), Some("/a"));
    }

    #[test]
    fn random_lines_never_panic() {
        // Lines made of the characters the parser cares about, from a fixed seed.
        const ALPHABET: &[&str] = &[
            "<", ">", ";", ",", "\"", "\\", "=", " ", "\t", "rel", "next", "NEXT", "a", "/", "?",
            "\u{e9}",
        ];
        let mut rng = fastrand::Rng::with_seed(8288);
        for _ in 0..5_000 {
            let line: String = (0..rng.usize(0..24))
                .map(|_| ALPHABET[rng.usize(..ALPHABET.len())])
                .collect();
            let mut headers = HeaderMap::new();
            headers.append(LINK, HeaderValue::from_bytes(line.as_bytes()).unwrap());
            if let Some(link) = next_link(&headers) {
                assert!(!link.is_empty() && line.contains(link.as_str()), "{line:?}");
            }
        }
    }

    #[test]
    fn non_utf8_header_lines_are_skipped() {
        let mut headers = HeaderMap::new();
        headers.append(LINK, HeaderValue::from_bytes(b"</\xff>; rel=next").unwrap());
        headers.append(LINK, HeaderValue::from_static("</ok>; rel=next"));
        assert_eq!(next_link(&headers).as_deref(), Some("/ok"));
    }

    #[test]
    fn utf8_in_the_target_is_kept() {
        let mut headers = HeaderMap::new();
        headers.append(
            LINK,
            HeaderValue::from_bytes("</caf\u{e9}?a=1>; rel=next".as_bytes()).unwrap(),
        );
        assert_eq!(next_link(&headers).as_deref(), Some("/caf\u{e9}?a=1"));
    }
}

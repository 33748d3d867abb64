//! Lazy streams over every item of a paginated list operation.
//!
//! The generator writes, for each list operation, a `stream()` method that tells
//! [`Items`] how to ask for a page (set the cursor, or the page number) and where a
//! page keeps its items and its "more" signals (read from the overlay's
//! `x-pagination`). The loop itself is here, once:
//!
//! - a page is fetched only when the consumer has taken every item of the previous one,
//!   so memory holds one page at a time;
//! - the stream ends on the documented signal: `has_more: false` or no next cursor
//!   (cursor style), `has_next: false` (page style), after the only page (single);
//! - a cursor seen before, or [`Items::MAX_EMPTY_PAGES`] empty pages in a row that still
//!   say "more", end the stream with [`Error::Pagination`] instead of looping;
//! - [`Items::max_items`] and [`Items::max_pages`] bound it;
//! - every page goes through the client's runtime (retries, errors); an error is
//!   yielded after the items already read, and ends the stream.

use std::collections::HashSet;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use futures_util::future::BoxFuture;

use crate::error::Error;

/// What a page says about itself, extracted by generated code.
#[derive(Debug)]
pub struct Page<T> {
    /// The page's items, in order.
    pub items: Vec<T>,
    /// The cursor for the next page (cursor style), when the page has one.
    pub next_cursor: Option<String>,
    /// The page's own "there is more" flag (`has_more`, `has_next`), when it has one.
    pub more: Option<bool>,
}

/// Where the next page is.
enum Next {
    Cursor(Option<String>),
    Page(u64),
    Done,
}

type Fetch<'a, T> = Box<dyn FnMut(&Next) -> BoxFuture<'a, Result<Page<T>, Error>> + Send + 'a>;

/// A lazy stream of every item of a list operation, page after page. Build one with an
/// operation builder's generated `stream()`.
pub struct Items<'a, T> {
    fetch: Fetch<'a, T>,
    next: Next,
    in_flight: Option<BoxFuture<'a, Result<Page<T>, Error>>>,
    buffer: std::vec::IntoIter<T>,
    /// An error found while reading a page, yielded after that page's items.
    deferred: Option<Error>,
    /// Hashes of the cursors seen: 8 bytes a page, so a long listing stays small.
    seen_cursors: HashSet<u64>,
    empty_pages_in_a_row: usize,
    pages: usize,
    items: usize,
    max_items: Option<usize>,
    max_pages: Option<usize>,
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
            pages: 0,
            items: 0,
            max_items: None,
            max_pages: None,
        }
    }

    /// Cursor pagination: `fetch(None)` gets the first page, `fetch(Some(cursor))` the
    /// page after the one that returned `cursor`.
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

    /// Page-number pagination: `fetch(1)`, `fetch(2)`, ... while pages say "more".
    pub fn pages<F, Fut>(mut fetch: F) -> Self
    where
        F: FnMut(u64) -> Fut + Send + 'a,
        Fut: Future<Output = Result<Page<T>, Error>> + Send + 'a,
    {
        let fetch: Fetch<'a, T> = Box::new(move |next| match next {
            Next::Page(n) => Box::pin(fetch(*n)),
            _ => unreachable!("a page stream only asks for page numbers"),
        });
        Items::new(fetch, Next::Page(1))
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

    /// Where the page after `page` is, or an error if the provider is going in circles.
    fn after(&mut self, page: &Page<T>) -> Result<Next, Error> {
        if page.items.is_empty() && page.more != Some(false) {
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
        Ok(match &self.next {
            _ if page.more == Some(false) => Next::Done,
            Next::Cursor(_) => match page.next_cursor.as_deref() {
                None | Some("") => Next::Done,
                Some(cursor) => {
                    if !self.seen_cursors.insert(hash(cursor)) {
                        return Err(Error::Pagination {
                            reason: format!("cursor {cursor:?} was returned before"),
                        });
                    }
                    Next::Cursor(Some(cursor.to_owned()))
                }
            },
            // No flag at all: an empty page is the end.
            Next::Page(_) if page.more.is_none() && page.items.is_empty() => Next::Done,
            Next::Page(n) => Next::Page(n + 1),
            Next::Done => Next::Done,
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
            .field("max_items", &self.max_items)
            .field("max_pages", &self.max_pages)
            .finish_non_exhaustive()
    }
}

//! Tidies the `send()` of every operation builder progenitor writes.
//!
//! progenitor puts an `api-version` header (the spec's `info.version`) on every request,
//! a convention of Azure's APIs that no provider here asks for: it costs a header map
//! allocation per call, and a provider could read it as a version it does not serve.
//! The generator removes it at the source, so the runtime has nothing to strip.

use quote::ToTokens;

/// Removes the `api-version` header from every builder's `send()` in progenitor's
/// `builder` module, and the capacity progenitor reserved for it.
pub fn drop_api_version_header(file: &mut syn::File) {
    let Some(items) = file.items.iter_mut().find_map(|item| match item {
        syn::Item::Mod(m) if m.ident == "builder" => m.content.as_mut().map(|(_, items)| items),
        _ => None,
    }) else {
        return;
    };
    for item in items {
        let syn::Item::Impl(block) = item else {
            continue;
        };
        for member in &mut block.items {
            if let syn::ImplItem::Fn(f) = member
                && f.sig.ident == "send"
            {
                drop_from(&mut f.block);
            }
        }
    }
}

fn drop_from(block: &mut syn::Block) {
    let before = block.stmts.len();
    block.stmts.retain(|stmt| !is_api_version_append(stmt));
    let removed = before - block.stmts.len();
    if removed == 0 {
        return;
    }
    let still_appended = block.stmts.iter().any(|stmt| {
        stmt.to_token_stream()
            .to_string()
            .contains("header_map . append")
    });
    for stmt in &mut block.stmts {
        if let syn::Stmt::Local(local) = stmt
            && let Some(init) = &mut local.init
            && let syn::Expr::Call(call) = &mut *init.expr
            && call.func.to_token_stream().to_string()
                == ":: reqwest :: header :: HeaderMap :: with_capacity"
            && let Some(syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Int(capacity),
                ..
            })) = call.args.first_mut()
            && let Ok(n) = capacity.base10_parse::<usize>()
        {
            let left = n.saturating_sub(removed);
            *capacity = syn::LitInt::new(&format!("{left}usize"), capacity.span());
            // Nothing else goes into the map: it need not be `mut` (rustc would warn).
            if !still_appended && let syn::Pat::Ident(binding) = &mut local.pat {
                binding.mutability = None;
            }
        }
    }
}

/// `header_map.append(HeaderName::from_static("api-version"), ...);`
fn is_api_version_append(stmt: &syn::Stmt) -> bool {
    let syn::Stmt::Expr(syn::Expr::MethodCall(call), _) = stmt else {
        return false;
    };
    call.method == "append"
        && call.args.first().is_some_and(|name| {
            name.to_token_stream()
                .to_string()
                .contains("from_static (\"api-version\")")
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_api_version_header_and_its_capacity_are_removed() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod builder {
                impl<'a> ListTasks<'a> {
                    pub async fn send(self) -> Result<(), ()> {
                        let mut header_map = ::reqwest::header::HeaderMap::with_capacity(2usize);
                        header_map.append(
                            ::reqwest::header::HeaderName::from_static("api-version"),
                            ::reqwest::header::HeaderValue::from_static(super::Client::api_version()),
                        );
                        header_map.append("x-tenant", value);
                        Ok(())
                    }
                    pub fn limit(self) -> Self {
                        header_map.append(
                            ::reqwest::header::HeaderName::from_static("api-version"),
                            x,
                        );
                        self
                    }
                }
            }
        };
        drop_api_version_header(&mut file);
        let code = prettyplease::unparse(&file);
        assert!(code.contains("HeaderMap::with_capacity(1usize)"), "{code}");
        assert!(
            code.contains("header_map.append(\"x-tenant\", value)"),
            "{code}"
        );
        let send = &code[..code.find("pub fn limit").unwrap()];
        assert!(!send.contains("api-version"), "{code}");
        assert!(
            code[code.find("pub fn limit").unwrap()..].contains("api-version"),
            "only send() is tidied: {code}"
        );
        assert!(
            code.contains("let mut header_map"),
            "still appended to: {code}"
        );
    }

    #[test]
    fn a_map_left_empty_is_not_mut() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod builder {
                impl<'a> ListTasks<'a> {
                    pub async fn send(self) -> Result<(), ()> {
                        let mut header_map = ::reqwest::header::HeaderMap::with_capacity(1usize);
                        header_map.append(
                            ::reqwest::header::HeaderName::from_static("api-version"),
                            ::reqwest::header::HeaderValue::from_static(super::Client::api_version()),
                        );
                        let request = client.get(url).headers(header_map).build()?;
                        Ok(())
                    }
                }
            }
        };
        drop_api_version_header(&mut file);
        let code = prettyplease::unparse(&file);
        assert!(
            code.contains("let header_map = ::reqwest::header::HeaderMap::with_capacity(0usize);"),
            "{code}"
        );
        assert!(!code.contains("api-version"), "{code}");
    }
}

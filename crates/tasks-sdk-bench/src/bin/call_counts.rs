//! Instructions per call, for callgrind: `call_counts serve` runs the loopback server
//! (a Deck page of 20 tasks) and prints its URL; `call_counts MODE URL N` makes N calls,
//! MODE being `generated`, `generated-no-retries` or `handwritten`. `cargo xtask bench` runs the client modes under
//! `valgrind --tool=callgrind` with two values of N, so that start-up cancels out.

use tasks_sdk_bench::{deck_client, deck_page, handwritten_list, serve};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["serve"] => rt.block_on(async {
            let body = deck_page(20).to_string();
            let url = serve(move |_| body.clone()).await;
            println!("{url}");
            std::future::pending::<()>().await;
        }),
        [
            mode @ ("generated" | "generated-no-retries" | "handwritten"),
            url,
            n,
        ] => {
            let n: usize = n.parse().expect("a count");
            rt.block_on(async {
                let client = deck_client(url, *mode == "generated");
                let http = reqwest::Client::new();
                for _ in 0..n {
                    let page = if *mode != "handwritten" {
                        client.list_tasks().call().await.unwrap()
                    } else {
                        handwritten_list(&http, url, "sk_bench").await.unwrap()
                    };
                    assert_eq!(page.data.len(), 20);
                }
            });
        }
        _ => {
            eprintln!(
                "usage: call_counts serve | call_counts generated|generated-no-retries|handwritten URL N"
            );
            std::process::exit(2);
        }
    }
}

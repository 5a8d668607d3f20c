use anyhow::Context;
use clap::Args;
use redress_store::Store;
use std::future::Future;
use std::net::SocketAddr;

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "REDRESS_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
}

pub fn block_on<F: Future<Output = anyhow::Result<()>>>(future: F) -> anyhow::Result<()> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?
        .block_on(future)
}

/// Opens the database and brings its schema up to date.
pub async fn open(url: &str) -> anyhow::Result<Store> {
    Store::connect(url)
        .await
        .with_context(|| format!("cannot open the database {}", redact(url)))
}

/// A URL without its password, for messages.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.find('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let credentials = &url[scheme + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

pub async fn migrate(url: &str) -> anyhow::Result<()> {
    let store = open(url).await?;
    println!(
        "database {} is up to date ({})",
        redact(url),
        store.backend()
    );
    store.close().await;
    Ok(())
}

pub async fn serve(url: &str, args: ServeArgs) -> anyhow::Result<()> {
    let store = open(url).await?;
    serve_store(store, args.listen).await
}

pub async fn serve_store(store: Store, listen: SocketAddr) -> anyhow::Result<()> {
    eprintln!(
        "Redress is serving on http://{listen} ({} database)",
        store.backend()
    );
    eprintln!("  API:      http://{listen}/api/v1/cases");
    eprintln!("  API docs: http://{listen}/api/v1/docs");
    redress_web::serve(store.clone(), listen)
        .await
        .with_context(|| format!("cannot serve on {listen}"))?;
    store.close().await;
    Ok(())
}

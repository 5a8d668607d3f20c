//! `redress user add|list|disable`: accounts for the people who use the web app and API.

use super::database::open;
use anyhow::Context;
use clap::{Args, Subcommand};
use redress_accounts::NewUser;
use redress_store::{Actor, Role};

#[derive(Debug, Args)]
pub struct UserArgs {
    #[command(subcommand)]
    command: UserCommand,
}

#[derive(Debug, Subcommand)]
enum UserCommand {
    /// Add a user to an organisation with a role (or give an existing user a role in another
    /// organisation). A new user gets a one-time password, printed once, unless
    /// REDRESS_USER_PASSWORD is set.
    Add {
        email: String,
        #[arg(long)]
        organisation: Option<String>,
        /// admin, complaints_officer, team_manager, investigator, viewer or
        /// information_governance. Giving a role that reaches personal data is emailed to
        /// the organisation's complaints officers and kept in the audit log.
        #[arg(long)]
        role: Option<String>,
        /// A team whose cases a team manager sees; repeat for more.
        #[arg(long = "team")]
        teams: Vec<String>,
        #[arg(long)]
        name: Option<String>,
        /// May create organisations and manage every organisation's users.
        #[arg(long)]
        system_admin: bool,
    },
    /// List users, or one organisation's.
    List {
        #[arg(long)]
        organisation: Option<String>,
    },
    /// Disable an account everywhere: its sessions end and its tokens stop working.
    Disable { email: String },
}

pub async fn run(database: &str, args: UserArgs) -> anyhow::Result<()> {
    let store = open(database).await?;
    let accounts = redress_accounts::Accounts::new(store.clone());
    let actor = Actor::system("cli");
    match args.command {
        UserCommand::Add {
            email,
            organisation,
            role,
            teams,
            name,
            system_admin,
        } => {
            let role = role
                .map(|r| r.parse::<Role>())
                .transpose()
                .map_err(|e| anyhow::anyhow!("--role: {e}"))?;
            let new = NewUser {
                email,
                display_name: name,
                organisation,
                role,
                teams,
                password: std::env::var("REDRESS_USER_PASSWORD").ok(),
                system_admin,
            };
            let added = accounts.add_user(&new, &actor).await?;
            match (&added.one_time_password, added.created) {
                (Some(password), _) => println!(
                    "added {} with the one-time password {password}\n(it is shown only now; they must change it when they first sign in)",
                    added.email
                ),
                (None, true) => println!("added {}", added.email),
                (None, false) => println!("{} already had an account: the role was set", added.email),
            }
        }
        UserCommand::List { organisation } => {
            let users = accounts.users(organisation.as_deref()).await?;
            println!("email\tname\tstatus\troles");
            for user in users {
                let mut roles: Vec<String> = user
                    .memberships
                    .iter()
                    .map(|m| {
                        if m.teams.is_empty() {
                            format!("{}:{}", m.organisation, m.role)
                        } else {
                            format!("{}:{} ({})", m.organisation, m.role, m.teams.join(", "))
                        }
                    })
                    .collect();
                if user.system_admin {
                    roles.insert(0, "system administrator".into());
                }
                println!(
                    "{}\t{}\t{}\t{}",
                    user.email,
                    user.display_name,
                    if user.disabled { "disabled" } else { "active" },
                    roles.join("; ")
                );
            }
        }
        UserCommand::Disable { email } => {
            accounts
                .disable_user(&email, &actor)
                .await
                .with_context(|| format!("cannot disable {email}"))?;
            println!("disabled {email}: their sessions have ended and their tokens no longer work");
        }
    }
    store.close().await;
    Ok(())
}

// The access a request has, written into a query's WHERE clause: no case leaves the database that the caller may not see.
// Included in each backend module beside `ops.rs`, sharing its imports and types.

/// Appends ` AND ...` limiting `alias` (a `cases` row) to what the scope reaches. A single
/// grant is written without an OR around it, so the planner can use it to reach an index.
fn push_case_scope(query: &mut QueryBuilder<'_, Db>, alias: &str, scope: &CaseScope) {
    let CaseScope::Only(grants) = scope else {
        return;
    };
    let grants: Vec<&Grant> = grants
        .iter()
        .filter(|g| !matches!(g, Grant::Teams(_, teams) if teams.is_empty()))
        .collect();
    if grants.is_empty() {
        query.push(" AND 1 = 0");
        return;
    }
    query.push(" AND (");
    for (i, grant) in grants.into_iter().enumerate() {
        if i > 0 {
            query.push(" OR ");
        }
        query
            .push(format!("({alias}.organisation_id = "))
            .push_bind(grant.organisation_id());
        match grant {
            Grant::Organisation(_) => {}
            Grant::Teams(_, team_ids) => {
                query.push(format!(" AND {alias}.team_id IN ("));
                let mut list = query.separated(", ");
                for id in team_ids {
                    list.push_bind(*id);
                }
                query.push(")");
            }
            Grant::Appointed(_, email) => {
                query
                    .push(format!(
                        " AND {alias}.id IN (SELECT case_id FROM case_appointees WHERE email = "
                    ))
                    .push_bind(email.clone());
                query.push(")");
            }
        }
        query.push(")");
    }
    query.push(")");
}

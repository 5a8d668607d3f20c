//! What a published report's narrative may say of people: names become initials. (Compliments
//! are quoted only in the words the council approved for publication, with consent.)

/// Words that start with a capital in team and service names, never in a person's name here.
const NOT_NAMES: &[&str] = &[
    "Team",
    "Teams",
    "Service",
    "Services",
    "Council",
    "Children",
    "Children's",
    "Social",
    "Care",
    "Special",
    "Educational",
    "Needs",
    "Early",
    "Help",
    "Short",
    "Breaks",
    "School",
    "Schools",
    "Standards",
    "North",
    "East",
    "West",
    "South",
    "Family",
    "Families",
    "Fostering",
    "Adoption",
    "Looked",
    "After",
    "Leaving",
    "Disabled",
    "Access",
    "Assessment",
    "Localities",
    "Ombudsman",
    "City",
    "Westminster",
    "The",
    "Thank",
    "Thanks",
    "I",
    "We",
    "My",
    "Our",
    "She",
    "He",
    "They",
    "You",
    "Your",
    "It",
    "This",
    "A",
    "An",
    "And",
    "Parent",
    "Carer",
    "Young",
    "Person",
    "Mother",
    "Father",
    "Mum",
    "Dad",
    "Worker",
    "Manager",
    "Officer",
    "Head",
];

const TITLES: &[&str] = &["Mr", "Mrs", "Ms", "Miss", "Mx", "Dr"];

fn capitalised(word: &str) -> bool {
    let core = word.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'');
    let mut chars = core.chars();
    matches!(chars.next(), Some(c) if c.is_uppercase())
        && chars.clone().count() > 0
        && chars.all(|c| c.is_lowercase() || c == '\'' || c == '-')
        && !NOT_NAMES.contains(&core)
}

fn initial(word: &str) -> String {
    let start = word.find(|c: char| c.is_alphanumeric()).unwrap_or(0);
    let end = word
        .rfind(|c: char| c.is_alphanumeric())
        .map_or(word.len(), |i| i + 1);
    let letter = word[start..].chars().next().unwrap_or(' ');
    format!("{}{letter}.{}", &word[..start], &word[end..])
}

/// Replaces a title and surname ("Mrs Smith") or a first name and surname ("Sarah Jones")
/// with initials ("Mrs S.", "S. J.").
pub fn names_to_initials(text: &str) -> String {
    let words: Vec<&str> = text.split(' ').collect();
    let mut out: Vec<String> = Vec::with_capacity(words.len());
    let mut i = 0;
    while i < words.len() {
        let word = words[i];
        let bare = word.trim_matches(|c: char| !c.is_alphanumeric());
        let next = words.get(i + 1).copied();
        if TITLES.contains(&bare.trim_end_matches('.')) && next.is_some_and(capitalised) {
            out.push(word.to_string());
            out.push(initial(next.unwrap_or_default()));
            i += 2;
            continue;
        }
        if capitalised(word)
            && next.is_some_and(capitalised)
            && !word.ends_with(['.', ',', ';', ':'])
        {
            out.push(initial(word));
            out.push(initial(next.unwrap_or_default()));
            i += 2;
            continue;
        }
        out.push(word.to_string());
        i += 1;
    }
    out.join(" ")
}

#[cfg(test)]
mod tests {
    use super::names_to_initials;

    #[test]
    fn names_become_initials_and_teams_do_not() {
        assert_eq!(
            names_to_initials(
                "\"Sarah Jones was brilliant with us\" (parent, Fostering and Adoption Team)"
            ),
            "\"S. J. was brilliant with us\" (parent, Fostering and Adoption Team)"
        );
        assert_eq!(
            names_to_initials("Thank you Mrs Smith, you listened."),
            "Thank you Mrs S., you listened."
        );
        assert_eq!(
            names_to_initials("The Special Educational Needs team helped."),
            "The Special Educational Needs team helped."
        );
    }
}

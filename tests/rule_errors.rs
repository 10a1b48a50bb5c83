//! Rule files that must be refused, and the messages users see.

use deboil::RuleSetBuilder;

use crate::util::rule_error;

#[test]
fn toml_syntax_error_points_at_the_place() {
    insta::assert_snapshot!(rule_error("[[rule]]\nid = \"x\"\ncategory = \n"), @r"
    test.toml:3:12: string values must be quoted, expected literal string
      |
    3 | category = 
      |            ^
    ");
}

#[test]
fn invalid_regex_names_file_line_rule_and_error() {
    let toml = "[[rule]]\nid = \"bad-regex\"\ncategory = \"ad\"\nkind = \"line\"\ndescription = \"d\"\npattern = '^(Advert'\n";
    insta::assert_snapshot!(rule_error(toml), @r#"
    test.toml:6:11: rule "bad-regex": invalid regex: regex parse error:
            ^(Advert
             ^
        error: unclosed group
      |
    6 | pattern = '^(Advert'
      |           ^
    "#);
}

#[test]
fn bad_regex_in_a_pattern_list_points_at_that_pattern() {
    let toml = "[[rule]]\nid = \"two\"\ncategory = \"ad\"\nkind = \"line\"\ndescription = \"d\"\npatterns = [\n  '^Advert$',\n  '^(Promo',\n]\n";
    let msg = rule_error(toml);
    assert!(msg.starts_with("test.toml:8:3: rule \"two\": invalid regex"), "{msg}");
    // Each pattern is fine alone but together they are too large: the rule is named.
    let big = "\\w{15}";
    let toml = format!(
        "[[rule]]\nid = \"sum\"\ncategory = \"ad\"\nkind = \"line\"\ndescription = \"d\"\npatterns = ['{big}', '{big}x', '{big}y', '{big}z']\n"
    );
    let msg = rule_error(&toml);
    assert!(msg.starts_with("test.toml:1:1: rule \"sum\": regex too large"), "{msg}");
}

#[test]
fn huge_regex_is_refused_not_compiled() {
    let toml = "[[rule]]\nid = \"huge\"\ncategory = \"ad\"\nkind = \"line\"\ndescription = \"d\"\npattern = '(?:\\w{50}){50}'\n";
    let msg = rule_error(toml);
    assert!(msg.starts_with("test.toml:6:11: rule \"huge\": regex too large"), "{msg}");
}

#[test]
fn unknown_kind_and_category_list_the_choices() {
    let toml =
        "[[rule]]\nid = \"k\"\ncategory = \"ad\"\nkind = \"paragraph\"\ndescription = \"d\"\npattern = 'x'\n";
    insta::assert_snapshot!(rule_error(toml), @r#"
    test.toml:4:8: rule "k": unknown kind "paragraph" (expected one of: line, span, section, caption, duplicate, doubled, model)
      |
    4 | kind = "paragraph"
      |        ^
    "#);
    let toml =
        "[[rule]]\nid = \"c\"\ncategory = \"ads\"\nkind = \"line\"\ndescription = \"d\"\npattern = 'x'\n";
    assert!(
        rule_error(toml)
            .starts_with("test.toml:3:12: rule \"c\": unknown category \"ads\" (expected one of: caption,")
    );
}

#[test]
fn missing_field_and_unknown_key() {
    let missing = "[[rule]]\nid = \"m\"\ncategory = \"ad\"\nkind = \"line\"\npattern = 'x'\n";
    assert!(rule_error(missing).contains("missing field `description`"), "{}", rule_error(missing));
    let unknown = "[[rule]]\nid = \"u\"\ncategory = \"ad\"\nkind = \"line\"\ndescription = \"d\"\npattern = 'x'\nmax_word = 3\n";
    let msg = rule_error(unknown);
    assert!(msg.starts_with("test.toml:7:1: unknown field `max_word`"), "{msg}");
}

#[test]
fn option_for_another_kind_is_refused() {
    let toml = "[[rule]]\nid = \"o\"\ncategory = \"ad\"\nkind = \"line\"\ndescription = \"d\"\npattern = 'x'\nmax_lines = 3\n";
    assert!(rule_error(toml).contains("`max_lines` applies only to `section` rules"));
}

#[test]
fn duplicate_id_across_files_names_both_places() {
    let rule =
        "[[rule]]\nid = \"twice\"\ncategory = \"ad\"\nkind = \"line\"\ndescription = \"d\"\npattern = 'x'\n";
    let mut b = RuleSetBuilder::new();
    b.add_source("a.toml", rule).unwrap();
    let err = b.add_source("b.toml", rule).unwrap_err().to_string();
    assert_eq!(err, "b.toml:1:1: rule \"twice\": duplicate id, first defined at a.toml:1:1");
}

#[test]
fn empty_file_is_refused() {
    assert_eq!(rule_error(""), "test.toml: no rules found (expected `[[rule]]` tables in .toml files)");
}

#[test]
fn bad_max_removed_and_site_are_refused() {
    let base =
        "[[rule]]\nid = \"s\"\ncategory = \"ad\"\nkind = \"line\"\ndescription = \"d\"\npattern = 'x'\n";
    assert!(
        rule_error(&format!("{base}max_removed = 1.5\n"))
            .contains("max_removed must be a fraction in (0, 1]")
    );
    assert!(rule_error(&format!("{base}sites = [\"not a host\"]\n")).contains("bad site \"not a host\""));
}

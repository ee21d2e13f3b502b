//! The public portal and the programme statistics; and the programme's two
//! roles (advisor, judge) kept away from the cases.

use super::*;

/// An advisor of the テレワーク相談センター and a judge of 輝くテレワーク賞 see
/// no case: the list is empty, a case answers 404, its page too, and they
/// cannot create one.
#[test]
fn programme_roles_see_no_case() {
    for db in backends() {
        let mut w = world(&db);
        let (id, _) = new_case(&mut w);
        for c in [&mut w.advisor, &mut w.judge] {
            let (s, list) = c.get("/api/v1/cases");
            assert_eq!(s, 200, "{list}");
            assert_eq!(list.as_array().map(Vec::len), Some(0), "{list}");
            let (s, _) = c.get(&format!("/api/v1/cases/{id}"));
            assert_eq!(s, 404);
            let (s, _) = c.get_raw(&format!("/cases/{id}"));
            assert_eq!(s, 404);
            let (s, body) = c.post("/api/v1/cases", &json!({"title": "x"}));
            assert!(s == 403 || s == 400 || s == 404, "{s} {body}");
        }
        // The employer still sees it.
        let (s, _) = w.employer.get(&format!("/api/v1/cases/{id}"));
        assert_eq!(s, 200);
    }
}

//! Business calendars, and policies that name them.

use makegood_domain::{CalendarSpec, OpenHours, Policies, WeeklyHours};
use makegood_store::{PageRequest, Store, StoreError};

use crate::common::*;

fn berlin() -> CalendarSpec {
    CalendarSpec {
        zone: "Europe/Berlin".into(),
        hours: WeeklyHours::office(),
        holidays: vec!["2025-12-25".parse().unwrap()],
    }
}

store_test! {
    async fn calendars_are_created_read_listed_edited_and_deleted(store: Store) {
        let berlin_office = store.create_calendar(" Berlin office ", berlin(), now()).await.unwrap();
        assert_eq!(berlin_office.name, "Berlin office");
        assert_eq!(berlin_office.spec, berlin());
        let always = store.create_calendar("Around the clock", CalendarSpec::around_the_clock(), now()).await.unwrap();
        assert_eq!(store.calendar(berlin_office.id).await.unwrap(), berlin_office);
        let names: Vec<String> = store.list_calendars(&PageRequest::default()).await.unwrap().items.into_iter().map(|c| c.name).collect();
        assert_eq!(names, ["Around the clock", "Berlin office"]);
        let first = store.list_calendars(&PageRequest { cursor: None, limit: Some(1) }).await.unwrap();
        let second = store.list_calendars(&PageRequest { cursor: first.next_cursor, limit: Some(1) }).await.unwrap();
        assert_eq!(second.items[0].name, "Berlin office");
        assert!(second.next_cursor.is_none());

        assert!(conflict(store.create_calendar("Berlin office", berlin(), now()).await).contains("Berlin office"));
        invalid(store.create_calendar("", berlin(), now()).await, "name");

        let mut spec = berlin();
        spec.zone = "America/New_York".into();
        let edited = store.update_calendar(berlin_office.id, Some("New York office"), Some(spec.clone())).await.unwrap();
        assert_eq!((edited.name.as_str(), &edited.spec), ("New York office", &spec));
        assert_eq!(store.calendar(berlin_office.id).await.unwrap(), edited);
        let renamed = store.update_calendar(berlin_office.id, Some("NY"), None).await.unwrap();
        assert_eq!(renamed.spec, spec);
        assert!(conflict(store.update_calendar(berlin_office.id, Some("Around the clock"), None).await).contains("already exists"));
        assert!(matches!(store.update_calendar(999, Some("x"), None).await, Err(StoreError::NotFound { .. })));

        store.delete_calendar(always.id).await.unwrap();
        assert!(matches!(store.calendar(always.id).await, Err(StoreError::NotFound { .. })));
        assert!(matches!(store.delete_calendar(always.id).await, Err(StoreError::NotFound { .. })));
    }
}

store_test! {
    async fn specs_that_do_not_build_name_the_field(store: Store) {
        let mut bad = berlin();
        bad.zone = "Mars/Olympus".into();
        invalid(store.create_calendar("Mars", bad, now()).await, "zone");
        let mut bad = berlin();
        bad.hours.wednesday = vec![OpenHours { open: "9".into(), close: "17:00".into() }];
        invalid(store.create_calendar("Odd", bad, now()).await, "hours.wednesday[0].open");
        let never = CalendarSpec { zone: "UTC".into(), hours: WeeklyHours::default(), holidays: vec![] };
        invalid(store.create_calendar("Never", never.clone(), now()).await, "hours");
        let ok = store.create_calendar("Ok", berlin(), now()).await.unwrap();
        invalid(store.update_calendar(ok.id, None, Some(never)).await, "hours");
        assert_eq!(store.calendar(ok.id).await.unwrap().spec, berlin());
    }
}

store_test! {
    async fn policies_name_existing_calendars_which_cannot_be_deleted_while_used(store: Store) {
        let w = world(&store).await;
        let problem = store.create_problem(actor(&w.admin, now()), new_problem(&w, "Export broken")).await.unwrap();
        let cal = store.create_calendar("Office", berlin(), now()).await.unwrap();
        let mut policies = Policies::default();
        policies.major.calendar = Some(cal.id + 100);
        let message = invalid(store.set_policies(&policies).await, "major.calendar");
        assert!(message.contains("does not exist"), "{message}");
        assert_eq!(store.policies().await.unwrap(), Policies::default());

        policies.major.calendar = Some(cal.id);
        store.set_policies(&policies).await.unwrap();
        let refused = conflict(store.delete_calendar(cal.id).await);
        assert!(refused.contains("major") && refused.contains("Office"), "{refused}");

        // A changed calendar recomputes open clocks in the same write; the problem stays readable.
        let mut spec = berlin();
        spec.hours.saturday = spec.hours.friday.clone();
        store.update_calendar(cal.id, None, Some(spec)).await.unwrap();
        store.problem(problem.problem.id, now()).await.unwrap();

        policies.major.calendar = None;
        store.set_policies(&policies).await.unwrap();
        store.delete_calendar(cal.id).await.unwrap();
    }
}

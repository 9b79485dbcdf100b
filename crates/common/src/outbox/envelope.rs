//! The event envelope and the consumer's answer (design §4.3, README "Events").

use chrono::{DateTime, SubsecRound, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// One event on the wire: `{"id", "type", "occurred_at", "source", "data"}` (design §4.3).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[schema(as = EventEnvelope)]
pub struct Envelope {
    /// The event id (UUID v7); consumers deduplicate on it.
    pub id: Uuid,
    /// The event type, e.g. `payment.submitted`.
    #[serde(rename = "type")]
    pub event_type: String,
    /// When the change happened, RFC 3339 in UTC (`…Z`).
    pub occurred_at: DateTime<Utc>,
    /// The producing service's name; consumers check it against the caller (api/auth.md §2.6).
    pub source: String,
    /// The type's payload (README "Events" table).
    #[schema(value_type = Object)]
    pub data: serde_json::Value,
}

impl Envelope {
    /// A new event occurring now, with a fresh v7 id. Times are kept to the microsecond, the precision
    /// the databases store.
    pub fn new(
        event_type: impl Into<String>,
        source: impl Into<String>,
        data: serde_json::Value,
    ) -> Envelope {
        Envelope {
            id: Uuid::now_v7(),
            event_type: event_type.into(),
            occurred_at: Utc::now().trunc_subsecs(6),
            source: source.into(),
            data,
        }
    }

    /// The envelope as the JSON document stored in the outbox `payload` column and posted as is.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).expect("an envelope always serialises")
    }
}

/// What a consumer did with an event (design §4.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum EventResult {
    /// The effect was applied.
    Applied,
    /// The event id was already processed; nothing ran.
    Duplicate,
    /// The type is not handled by this consumer.
    Ignored,
}

/// The `data` of a consumer's 200 answer: `{"event_id", "result"}` (design §4.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct EventResponse {
    /// The envelope's `id`.
    pub event_id: Uuid,
    /// What the consumer did with the event.
    pub result: EventResult,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_envelope_serialises_with_the_wire_field_names() {
        let e = Envelope::new("payment.submitted", "payment", json!({"order_id": "x"}));
        let v = e.to_json();
        assert_eq!(v["type"], "payment.submitted");
        assert_eq!(v["source"], "payment");
        assert_eq!(v["id"], e.id.to_string());
        assert_eq!(e.id.get_version_num(), 7);
        let at = v["occurred_at"].as_str().unwrap();
        assert!(at.ends_with('Z'), "{at}");
        assert_eq!(serde_json::from_value::<Envelope>(v).unwrap(), e);
    }

    #[test]
    fn results_serialise_in_lower_case() {
        let r = EventResponse {
            event_id: Uuid::nil(),
            result: EventResult::Duplicate,
        };
        assert_eq!(
            serde_json::to_value(r).unwrap(),
            json!({"event_id": "00000000-0000-0000-0000-000000000000", "result": "duplicate"})
        );
        assert_eq!(
            serde_json::to_value(EventResult::Applied).unwrap(),
            "applied"
        );
        assert_eq!(
            serde_json::to_value(EventResult::Ignored).unwrap(),
            "ignored"
        );
    }

    /// The schemas are derived from these types: serde's names must be what the document says.
    #[test]
    fn the_schemas_name_what_the_types_write() {
        use utoipa::PartialSchema;
        let schema = |s: utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>| {
            serde_json::to_value(s).unwrap()
        };
        let names = |v: &serde_json::Value| -> Vec<String> {
            let mut names: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
            names.sort();
            names
        };
        let envelope = schema(Envelope::schema());
        let written = Envelope::new("payment.submitted", "payment", json!({})).to_json();
        assert_eq!(names(&envelope["properties"]), names(&written));
        assert_eq!(
            envelope["required"],
            json!(["id", "type", "occurred_at", "source", "data"])
        );
        let answer = EventResponse {
            event_id: Uuid::nil(),
            result: EventResult::Applied,
        };
        let response = schema(EventResponse::schema());
        assert_eq!(
            names(&response["properties"]),
            names(&serde_json::to_value(answer).unwrap())
        );
        assert_eq!(response["required"], json!(["event_id", "result"]));
        let results = [
            EventResult::Applied,
            EventResult::Duplicate,
            EventResult::Ignored,
        ]
        .map(|r| serde_json::to_value(r).unwrap());
        assert_eq!(schema(EventResult::schema())["enum"], json!(results));
    }
}

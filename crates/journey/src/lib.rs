//! The end-to-end journey across the fleet (issue 10): [`fleet::Fleet`] starts the seven real binaries the
//! way `scripts/dev up` does — fresh databases, its own Cognito pool from `auth bootstrap`, its own DynamoDB
//! tables, buckets and Redis database — on free ports, so it runs beside the local stack; it can SIGKILL and
//! restart a service. [`api`] drives it over HTTP as the frontends do; [`invariants`] checks what must hold
//! after every scenario.

pub mod api;
pub mod fleet;
pub mod invariants;
pub mod shop;

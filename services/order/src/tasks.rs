//! Background work of every replica, made replica-safe by the database (api/order.md §3.11): the
//! deadline sweeper (PENDING → EXPIRED past `payment_deadline` + grace) and the checkout janitor
//! (abandoned checkouts release their reservation through an `order.status_changed` CANCELLED event).

use std::future::Future;

use eshop_common::outbox::{pg, Relay};
use sqlx::PgPool;

use crate::config::OrderSettings;
use crate::domain::status::{Actor, OrderStatus};
use crate::events::{self, WAREHOUSE};
use crate::store::transitions::{self, Transition};
use crate::store::{checkouts, orders};

pub const EXPIRY_NOTE: &str = "payment deadline passed";
pub const ABANDONED_NOTE: &str = "checkout abandoned";

/// The sweeper and janitor loop of one replica.
#[derive(Clone)]
pub struct Sweeper {
    pub pool: PgPool,
    pub settings: OrderSettings,
    pub relay: Relay,
}

impl Sweeper {
    /// Runs every `ORDER_SWEEP_INTERVAL_SECONDS` until `shutdown`; errors are logged, never fatal.
    pub async fn run(self, shutdown: impl Future<Output = ()>) {
        tokio::pin!(shutdown);
        loop {
            match self.sweep_once().await {
                Ok(0) => {}
                Ok(n) => {
                    tracing::info!(expired = n, "orders past their payment deadline expired");
                    self.relay.wake();
                }
                Err(e) => tracing::warn!(error = %e, "the deadline sweep failed"),
            }
            match self.clean_abandoned_once().await {
                Ok(0) => {}
                Ok(n) => {
                    tracing::info!(abandoned = n, "abandoned checkouts released");
                    self.relay.wake();
                }
                Err(e) => tracing::warn!(error = %e, "the checkout janitor failed"),
            }
            tokio::select! {
                () = &mut shutdown => break,
                () = tokio::time::sleep(self.settings.sweep_interval) => {}
            }
        }
        tracing::info!("order sweeper stopped");
    }

    /// One sweep: up to `ORDER_SWEEP_BATCH` overdue PENDING orders, locked with SKIP LOCKED so replicas
    /// share the work, each moved to EXPIRED in this one transaction. Returns how many expired.
    pub async fn sweep_once(&self) -> Result<usize, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        let ids: Vec<uuid::Uuid> = sqlx::query_scalar(
            "SELECT id FROM orders
             WHERE status = 'PENDING' AND payment_deadline <= now() - make_interval(secs => $1)
             ORDER BY payment_deadline LIMIT $2
             FOR UPDATE SKIP LOCKED",
        )
        .bind(self.settings.expiry_grace.as_secs_f64())
        .bind(self.settings.sweep_batch)
        .fetch_all(&mut *tx)
        .await?;
        let mut expired = 0;
        for order in orders::load_many(&mut tx, &ids).await? {
            let t = Transition {
                from: OrderStatus::Pending,
                to: OrderStatus::Expired,
                actor: Actor::System,
                actor_id: None,
                note: EXPIRY_NOTE,
                restock: false,
            };
            if transitions::apply(&mut tx, &order, &t).await? {
                expired += 1;
            }
        }
        tx.commit().await?;
        Ok(expired)
    }

    /// One janitor pass: abandoned in-progress checkouts are deleted and, in the same transaction, an
    /// `order.status_changed` CANCELLED (from null, actor system) tells the warehouse to release.
    pub async fn clean_abandoned_once(&self) -> Result<usize, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        let abandoned = checkouts::take_abandoned(
            &mut tx,
            self.settings.checkout_abandon,
            self.settings.sweep_batch,
        )
        .await?;
        for (order_id, user_id) in &abandoned {
            let event = events::status_changed(
                *order_id,
                *user_id,
                None,
                OrderStatus::Cancelled,
                ABANDONED_NOTE,
                Actor::System.as_str(),
                false,
                chrono::Utc::now(),
            );
            pg::enqueue(&mut tx, &event, *order_id, &[WAREHOUSE]).await?;
        }
        tx.commit().await?;
        Ok(abandoned.len())
    }
}

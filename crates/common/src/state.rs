//! A service's shared state behind one `Arc`.
//!
//! axum clones the router's state for every request (and every `State<…>` extractor clones again), so a
//! state struct of a dozen clients and handles costs a dozen reference counts, up and down, per request —
//! about a tenth of the product service's CPU on a cached read before this. [`shared_state!`](crate::shared_state) wraps the
//! fields in one `Arc` instead: a clone is one count, fields are still read as `state.pool` (through
//! `Deref`), and the parts extractors need (`Arc<Verifier>`, `Arc<InternalAuth>`) are handed out by
//! `FromRef`.

/// Declares `$state`, a cheap-to-clone handle to `$shared` (a plain struct of the service's fields), with
/// `Deref` to it, `From<$shared>`, and `FromRef<$state>` for each listed field's type.
///
/// ```ignore
/// pub struct Shared { pub pool: PgPool, pub verifier: Arc<Verifier> }
/// eshop_common::shared_state!(AppState(Shared), verifier: Arc<Verifier>);
/// let state = AppState::from(Shared { pool, verifier });
/// ```
#[macro_export]
macro_rules! shared_state {
    ($state:ident($shared:ty) $(, $field:ident: $ty:ty)* $(,)?) => {
        /// The routes' state: one `Arc` around the shared fields, so the clone axum makes per request is one
        /// reference count.
        #[derive(Clone)]
        pub struct $state(::std::sync::Arc<$shared>);

        impl ::std::ops::Deref for $state {
            type Target = $shared;
            fn deref(&self) -> &$shared {
                &self.0
            }
        }

        impl ::std::convert::From<$shared> for $state {
            fn from(shared: $shared) -> Self {
                $state(::std::sync::Arc::new(shared))
            }
        }

        $(
            impl ::axum::extract::FromRef<$state> for $ty {
                fn from_ref(state: &$state) -> Self {
                    state.0.$field.clone()
                }
            }
        )*
    };
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use axum::extract::FromRef;

    pub struct Shared {
        name: String,
        counter: Arc<u32>,
    }

    crate::shared_state!(State(Shared), counter: Arc<u32>);

    #[test]
    fn a_clone_shares_the_fields_and_parts_come_out_by_from_ref() {
        let state = State::from(Shared {
            name: "x".repeat(1000),
            counter: Arc::new(7),
        });
        let copy = state.clone();
        assert!(
            std::ptr::eq(state.name.as_ptr(), copy.name.as_ptr()),
            "no field is copied"
        );
        let part = Arc::<u32>::from_ref(&copy);
        assert_eq!(*part, 7);
        assert_eq!(
            Arc::strong_count(&state.counter),
            2,
            "from_ref hands out the field"
        );
    }
}

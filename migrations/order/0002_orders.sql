-- api/order.md §4: orders, lines with their source warehouses, addresses, status history, checkout keys.
CREATE TABLE orders (
    id                   uuid PRIMARY KEY,
    user_id              uuid NOT NULL,
    status               text NOT NULL CHECK (status IN ('PENDING', 'PAYMENT_ACCEPTED', 'ON_DELIVERY',
                             'DELIVERED', 'FAILED', 'REJECTED', 'EXPIRED', 'CANCELLED')),
    subtotal             numeric(12,2) NOT NULL CHECK (subtotal >= 0),
    shipping_total       numeric(12,2) NOT NULL CHECK (shipping_total >= 0),
    total_price          numeric(12,2) NOT NULL CHECK (total_price >= 0),
    payment_deadline     timestamptz NULL,
    payment_id           uuid NULL,
    payment_status       text NULL CHECK (payment_status IN ('PENDING', 'APPROVED', 'REJECTED')),
    payment_note         text NULL,
    payment_submitted_at timestamptz NULL,
    payment_rejections   integer NOT NULL DEFAULT 0,
    refund_status        text NOT NULL DEFAULT '' CHECK (refund_status IN ('', 'DUE', 'REFUNDED')),
    refund_note          text NOT NULL DEFAULT '',
    refunded_at          timestamptz NULL,
    refunded_by          uuid NULL,
    status_note          text NOT NULL DEFAULT '',
    created_at           timestamptz NOT NULL,
    updated_at           timestamptz NOT NULL,
    CHECK (total_price = subtotal + shipping_total),
    CHECK (payment_deadline IS NULL OR status = 'PENDING')
);
CREATE INDEX orders_user_created ON orders (user_id, created_at DESC, id DESC);
CREATE INDEX orders_created ON orders (created_at DESC, id DESC);
CREATE INDEX orders_status_created ON orders (status, created_at DESC);
CREATE INDEX orders_deadline ON orders (payment_deadline)
    WHERE status = 'PENDING' AND payment_deadline IS NOT NULL;

CREATE TABLE order_items (
    id            uuid PRIMARY KEY,
    order_id      uuid NOT NULL REFERENCES orders ON DELETE CASCADE,
    line_no       smallint NOT NULL,
    product_id    uuid NOT NULL,
    product_name  text NOT NULL,
    sku           text NOT NULL DEFAULT '',
    image_url     text NOT NULL,
    category_id   text NULL,
    price         numeric(12,2) NOT NULL CHECK (price >= 0),
    quantity      integer NOT NULL CHECK (quantity > 0),
    shipping_cost numeric(12,2) NOT NULL CHECK (shipping_cost >= 0),
    note          text NOT NULL DEFAULT '',
    UNIQUE (order_id, line_no),
    UNIQUE (order_id, product_id)
);

CREATE TABLE order_item_allocations (
    order_item_id      uuid NOT NULL REFERENCES order_items ON DELETE CASCADE,
    warehouse_id       uuid NOT NULL,
    warehouse_zip_code text NOT NULL,
    quantity           integer NOT NULL CHECK (quantity > 0),
    distance           bigint NULL CHECK (distance >= 0),
    shipping_cost      numeric(12,2) NOT NULL CHECK (shipping_cost >= 0),
    PRIMARY KEY (order_item_id, warehouse_id)
);

CREATE TABLE order_addresses (
    order_id uuid PRIMARY KEY REFERENCES orders ON DELETE CASCADE,
    street   text NOT NULL,
    city     text NOT NULL,
    state    text NOT NULL,
    zip_code text NOT NULL,
    note     text NOT NULL DEFAULT ''
);

CREATE TABLE order_status_history (
    id          uuid PRIMARY KEY,
    order_id    uuid NOT NULL REFERENCES orders,
    from_status text NULL,
    to_status   text NOT NULL,
    note        text NOT NULL DEFAULT '',
    actor       text NOT NULL CHECK (actor IN ('customer', 'admin', 'warehouse', 'system', 'payment')),
    actor_id    uuid NULL,
    created_at  timestamptz NOT NULL
);
CREATE INDEX order_status_history_order ON order_status_history (order_id, created_at, id);

CREATE TABLE checkout_requests (
    user_id         uuid NOT NULL,
    idempotency_key text NOT NULL,
    request_hash    bytea NOT NULL,
    order_id        uuid NOT NULL UNIQUE,
    state           text NOT NULL CHECK (state IN ('in_progress', 'completed')),
    lease_until     timestamptz NOT NULL,
    created_at      timestamptz NOT NULL,
    PRIMARY KEY (user_id, idempotency_key)
);
CREATE INDEX checkout_requests_in_progress ON checkout_requests (created_at) WHERE state = 'in_progress';

-- api/order.md §4: at most one sale.created and one sale.reversed per order, whatever is redelivered.
CREATE UNIQUE INDEX outbox_one_sale_created ON outbox (aggregate_id, subscriber) WHERE type = 'sale.created';
CREATE UNIQUE INDEX outbox_one_sale_reversed ON outbox (aggregate_id, subscriber) WHERE type = 'sale.reversed';

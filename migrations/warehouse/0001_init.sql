-- Warehouse schema (contract: api/warehouse.md §4.1–4.7; outbox and inbox: design §4.1, §4.3).

-- §4.1 warehouses: exactly one main warehouse, live names unique regardless of case.
CREATE TABLE warehouses (
    id                uuid         PRIMARY KEY,
    name              varchar(200) NOT NULL,
    street            varchar(300) NOT NULL,
    city              varchar(100) NOT NULL,
    state             varchar(100) NOT NULL,
    zip_code          varchar(5)   NOT NULL CONSTRAINT warehouses_zip_code_check CHECK (zip_code ~ '^[0-9]{5}$'),
    is_main_warehouse boolean      NOT NULL DEFAULT false,
    created_at        timestamptz  NOT NULL DEFAULT now(),
    updated_at        timestamptz  NOT NULL DEFAULT now(),
    deleted_at        timestamptz  NULL,
    CONSTRAINT warehouses_main_not_deleted CHECK (NOT (is_main_warehouse AND deleted_at IS NOT NULL))
);
CREATE UNIQUE INDEX warehouses_one_main ON warehouses (is_main_warehouse) WHERE is_main_warehouse;
CREATE UNIQUE INDEX warehouses_name_live ON warehouses (lower(name)) WHERE deleted_at IS NULL;

-- §4.1 seed (compat): the old fleet's main warehouse id.
INSERT INTO warehouses (id, name, street, city, state, zip_code, is_main_warehouse)
VALUES ('0193d7b4-a3d7-7022-a547-b987b1f9c6a8', 'Main Warehouse', 'Jl. Raya Jakarta', 'Jakarta Selatan',
        'DKI Jakarta', '10250', true);

-- §4.2 products: the copy fed by product.* events; a deleted product stays as a tombstone.
CREATE TABLE products (
    id            uuid          PRIMARY KEY,
    sku           varchar(64)   NOT NULL,
    name          varchar(200)  NOT NULL,
    description   text          NOT NULL,
    image_url     varchar(1000) NOT NULL,
    price         numeric(12,2) NOT NULL CONSTRAINT products_price_check CHECK (price >= 0),
    category_id   uuid          NULL,
    version       bigint        NOT NULL,
    stock_version bigint        NOT NULL DEFAULT 0,
    created_at    timestamptz   NOT NULL DEFAULT now(),
    updated_at    timestamptz   NOT NULL DEFAULT now(),
    deleted_at    timestamptz   NULL
);

-- §4.3 stock per (warehouse, product): one row each, never negative.
CREATE TABLE warehouse_products (
    id                  uuid        PRIMARY KEY,
    warehouse_id        uuid        NOT NULL REFERENCES warehouses (id) ON DELETE RESTRICT,
    product_id          uuid        NOT NULL REFERENCES products (id) ON DELETE RESTRICT,
    available           integer     NOT NULL DEFAULT 0 CONSTRAINT warehouse_products_available_check CHECK (available >= 0),
    reserved            integer     NOT NULL DEFAULT 0 CONSTRAINT warehouse_products_reserved_check CHECK (reserved >= 0),
    low_stock_threshold integer     NULL CONSTRAINT warehouse_products_threshold_check CHECK (low_stock_threshold >= 0),
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT warehouse_products_warehouse_product_key UNIQUE (warehouse_id, product_id)
);
CREATE INDEX warehouse_products_product ON warehouse_products (product_id);

-- §4.4 movement history; the shape CHECK ties each type to its sides.
CREATE TABLE stock_movements (
    id                uuid         PRIMARY KEY,
    type              varchar(16)  NOT NULL
        CONSTRAINT stock_movements_type_check CHECK (type IN ('INITIAL', 'TRANSFER', 'SHIPMENT', 'ADJUSTMENT')),
    product_id        uuid         NOT NULL REFERENCES products (id),
    product_name      varchar(200) NOT NULL,
    quantity          integer      NOT NULL CONSTRAINT stock_movements_quantity_check CHECK (quantity > 0),
    from_warehouse_id uuid         NULL REFERENCES warehouses (id),
    to_warehouse_id   uuid         NULL REFERENCES warehouses (id),
    to_user_id        uuid         NULL,
    order_id          uuid         NULL,
    created_by        uuid         NULL,
    note              varchar(500) NULL,
    created_at        timestamptz  NOT NULL DEFAULT now(),
    CONSTRAINT stock_movements_shape CHECK (
        CASE type
            -- TRANSFER: both warehouses, different, no user.
            WHEN 'TRANSFER' THEN from_warehouse_id IS NOT NULL AND to_warehouse_id IS NOT NULL
                AND from_warehouse_id <> to_warehouse_id AND to_user_id IS NULL
            -- SHIPMENT: from a warehouse to a user.
            WHEN 'SHIPMENT' THEN from_warehouse_id IS NOT NULL AND to_warehouse_id IS NULL AND to_user_id IS NOT NULL
            -- INITIAL: only the destination warehouse.
            WHEN 'INITIAL' THEN from_warehouse_id IS NULL AND to_warehouse_id IS NOT NULL AND to_user_id IS NULL
            -- ADJUSTMENT: exactly one of from/to.
            WHEN 'ADJUSTMENT' THEN (from_warehouse_id IS NULL) <> (to_warehouse_id IS NULL)
            ELSE false
        END
    )
);
CREATE INDEX stock_movements_created ON stock_movements (created_at DESC, id DESC);
CREATE INDEX stock_movements_product_created ON stock_movements (product_id, created_at DESC);
CREATE INDEX stock_movements_from_created ON stock_movements (from_warehouse_id, created_at DESC);
CREATE INDEX stock_movements_to_created ON stock_movements (to_warehouse_id, created_at DESC);
CREATE INDEX stock_movements_order ON stock_movements (order_id);
CREATE INDEX stock_movements_to_user ON stock_movements (to_user_id);

-- §4.5 reservations: one per order; each timestamp set exactly for its status.
CREATE TABLE reservations (
    order_id     uuid        PRIMARY KEY,
    user_id      uuid        NOT NULL,
    zip_code     varchar(10) NOT NULL,
    status       varchar(16) NOT NULL
        CONSTRAINT reservations_status_check CHECK (status IN ('RESERVED', 'COMMITTED', 'RELEASED', 'RETURNED')),
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    committed_at timestamptz NULL,
    released_at  timestamptz NULL,
    returned_at  timestamptz NULL,
    CONSTRAINT reservations_committed_at_check
        CHECK ((committed_at IS NOT NULL) = (status IN ('COMMITTED', 'RETURNED'))),
    CONSTRAINT reservations_released_at_check CHECK ((released_at IS NOT NULL) = (status = 'RELEASED')),
    CONSTRAINT reservations_returned_at_check CHECK ((returned_at IS NOT NULL) = (status = 'RETURNED'))
);
CREATE INDEX reservations_status_created ON reservations (status, created_at);

CREATE TABLE reservation_lines (
    order_id     uuid    NOT NULL REFERENCES reservations (order_id),
    product_id   uuid    NOT NULL REFERENCES products (id),
    warehouse_id uuid    NOT NULL REFERENCES warehouses (id),
    quantity     integer NOT NULL CONSTRAINT reservation_lines_quantity_check CHECK (quantity > 0),
    PRIMARY KEY (order_id, product_id, warehouse_id)
);

-- §4.7 / design §4.1: the outbox (subscriber product, aggregate_id = the product id).
CREATE TABLE outbox (
    id              uuid        PRIMARY KEY,
    event_id        uuid        NOT NULL,
    type            text        NOT NULL,
    aggregate_id    uuid        NOT NULL,
    subscriber      text        NOT NULL,
    payload         jsonb       NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    lease_until     timestamptz NULL,
    delivered_at    timestamptz NULL,
    parked_at       timestamptz NULL,
    attempts        integer     NOT NULL DEFAULT 0,
    last_error      text        NULL,
    CONSTRAINT outbox_event_subscriber_key UNIQUE (event_id, subscriber)
);
CREATE INDEX outbox_aggregate ON outbox (aggregate_id, subscriber, created_at);
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE delivered_at IS NULL AND parked_at IS NULL;

-- §4.7 / design §4.3: consumed events (product.*, order.status_changed), one row each.
CREATE TABLE processed_events (
    id           uuid        PRIMARY KEY,
    type         varchar(64) NOT NULL,
    source       varchar(32) NOT NULL,
    processed_at timestamptz NOT NULL DEFAULT now()
);

//! The shop's steps as the frontends take them, over HTTP against a [`Fleet`].

use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::api::{Api, Form, Res, PNG};
use crate::fleet::{Fleet, FleetOptions};

/// The main warehouse the warehouse migration seeds (zip 10250), and the two the journey adds.
pub const MAIN_WAREHOUSE: &str = "0193d7b4-a3d7-7022-a547-b987b1f9c6a8";
pub const MAIN_ZIP: &str = "10250";

/// A signed-in person.
#[derive(Clone, Debug)]
pub struct User {
    pub username: String,
    pub user_id: String,
    pub token: String,
}

pub struct Shop {
    pub fleet: Fleet,
    pub api: Api,
    pub admin: User,
}

/// Polls `check` every 100 ms until it gives `Some`, or panics after `within` naming `what`.
pub async fn eventually<T, F, Fut>(within: Duration, what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let start = Instant::now();
    loop {
        if let Some(v) = check().await {
            return v;
        }
        assert!(start.elapsed() < within, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

impl Shop {
    pub async fn open(options: FleetOptions) -> Shop {
        let fleet = Fleet::start(options).await;
        let api = Api::new();
        let password = fleet.admin_password.clone();
        let mut shop = Shop {
            fleet,
            api,
            admin: User {
                username: "admin".into(),
                user_id: String::new(),
                token: String::new(),
            },
        };
        shop.admin = shop.login("admin", &password).await;
        shop
    }

    pub fn url(&self, svc: &str, path: &str) -> String {
        format!("{}{path}", self.fleet.url(svc))
    }

    pub async fn login(&self, username: &str, password: &str) -> User {
        let res = self
            .api
            .post(
                &self.url("auth", "/v1/auth/login"),
                None,
                &json!({"username": username, "password": password}),
            )
            .await
            .expect(200, "login");
        let data = res.data();
        let token = data["access_token"]
            .as_str()
            .expect("access token")
            .to_string();
        let me = self
            .api
            .get(&self.url("auth", "/v1/auth/me"), Some(&token))
            .await
            .expect(200, "me");
        User {
            username: username.into(),
            user_id: me.data()["user_id"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
            token,
        }
    }

    /// Sign-up, confirmation with the code (the emulator accepts any), login.
    pub async fn sign_up(&self, username: &str) -> User {
        let password = "Customer-Pass1";
        self.api
            .post(
                &self.url("auth", "/v1/auth/signup"),
                None,
                &json!({"username": username, "email": format!("{username}@journey.local"), "password": password}),
            )
            .await
            .expect(201, "sign-up");
        self.api
            .post(
                &self.url("auth", "/v1/auth/confirm"),
                None,
                &json!({"username": username, "code": "123456"}),
            )
            .await
            .expect(200, "confirm");
        self.login(username, password).await
    }

    /// A warehouse role user: created by the admin through the auth service, then logged in.
    pub async fn staff(&self, username: &str, role: &str) -> User {
        let user = self.sign_up(username).await;
        self.api
            .put(
                &self.url("auth", &format!("/v1/auth/users/{}/role", user.user_id)),
                Some(&self.admin.token),
                &json!({"role": role}),
            )
            .await
            .expect(200, "set role");
        self.login(username, "Customer-Pass1").await
    }

    /// A subcategory of the seeded root `Car`.
    pub async fn category(&self, name: &str) -> String {
        let tree = self
            .api
            .get(&self.url("product", "/v1/categories"), None)
            .await
            .expect(200, "category tree");
        let root = tree.data()[0]["id"]
            .as_str()
            .expect("a root category")
            .to_string();
        let created = self
            .api
            .post(
                &self.url("product", "/v1/categories"),
                Some(&self.admin.token),
                &json!({"name": name, "parent_id": root}),
            )
            .await
            .expect(201, "create category");
        created.data()["id"].as_str().unwrap().to_string()
    }

    pub async fn warehouse(&self, name: &str, zip: &str) -> String {
        let res = self
            .api
            .post(
                &self.url("warehouse", "/v1/warehouse"),
                Some(&self.admin.token),
                &json!({"name": name, "street": "Jl. Test 1", "city": name, "state": "Jawa", "zip_code": zip}),
            )
            .await
            .expect(201, "create warehouse");
        res.data()["id"].as_str().unwrap().to_string()
    }

    /// Creates a product with an image and `quantity` units in the main warehouse, and waits until the
    /// warehouse holds them (product.created delivered).
    pub async fn product(&self, name: &str, price: &str, quantity: u32, category: &str) -> String {
        let form = Form::default()
            .text("name", name)
            .text("description", &format!("{name}, journey edition"))
            .text("price", price)
            .text("quantity", &quantity.to_string())
            .text("category_id", category)
            .file("image", "car.png", "image/png", PNG);
        let res = self
            .api
            .multipart(
                reqwest::Method::POST,
                &self.url("product", "/v1/products"),
                Some(&self.admin.token),
                &form,
            )
            .await
            .expect(201, "create product");
        let id = res.data()["id"].as_str().unwrap().to_string();
        self.wait_stock(&id, MAIN_WAREHOUSE, quantity).await;
        id
    }

    /// The stock row of `product` in `warehouse` (warehouse S4).
    pub async fn stock_row(&self, product: &str, warehouse: &str) -> Value {
        self.api
            .get(
                &self.url(
                    "warehouse",
                    &format!("/v1/warehouse-products/product/{product}/warehouse/{warehouse}"),
                ),
                Some(&self.admin.token),
            )
            .await
            .expect(200, "stock row")
            .data()
            .clone()
    }

    /// Available units of `product` in `warehouse` (0 when there is no row).
    pub async fn available(&self, product: &str, warehouse: &str) -> i64 {
        let res = self
            .api
            .get(
                &self.url(
                    "warehouse",
                    &format!("/v1/warehouse-products/product/{product}/warehouse/{warehouse}"),
                ),
                Some(&self.admin.token),
            )
            .await;
        if res.status == 404 {
            return 0;
        }
        res.expect(200, "stock row").data()["product_quantity"]
            .as_i64()
            .unwrap_or(0)
    }

    pub async fn wait_stock(&self, product: &str, warehouse: &str, units: u32) {
        eventually(
            Duration::from_secs(20),
            "stock in the warehouse",
            || async { (self.available(product, warehouse).await == units as i64).then_some(()) },
        )
        .await;
    }

    pub async fn transfer(&self, product: &str, from: &str, to: &str, quantity: u32) {
        self.api
            .post(
                &self.url("warehouse", "/v1/stock-movements/movein"),
                Some(&self.admin.token),
                &json!({"product_id": product, "product_name": "", "quantity": quantity,
                        "from_warehouse_id": from, "to_warehouse_id": to}),
            )
            .await
            .expect(201, "transfer");
    }

    pub async fn add_to_cart(&self, user: &User, product: &str, quantity: u32) -> Res {
        self.api
            .post(
                &self.url("cart", "/v1/carts"),
                Some(&user.token),
                &json!({"product_id": product, "product_quantity": quantity, "note": "",
                        "product_price": 1}),
            )
            .await
    }

    pub async fn cart(&self, user: &User) -> Vec<Value> {
        let res = self
            .api
            .get(&self.url("cart", "/v1/carts/user"), Some(&user.token))
            .await
            .expect(200, "cart");
        res.data().as_array().cloned().unwrap_or_default()
    }

    /// Checks out every line of the cart to `zip`; the cart's answer.
    pub async fn checkout(&self, user: &User, zip: &str, key: &str) -> Res {
        let ids: Vec<Value> = self
            .cart(user)
            .await
            .iter()
            .map(|l| l["id"].clone())
            .collect();
        self.api
            .send(
                reqwest::Method::POST,
                &self.url("cart", "/v1/carts/checkout"),
                Some(&user.token),
                &json!({"cart_ids": ids, "address": {"street": "Jl. Pembeli 2", "city": "Kota",
                        "state": "Jawa", "zipcode": zip, "note": "ring twice"}}),
                &[("Idempotency-Key", key)],
            )
            .await
    }

    /// [`Shop::checkout`] that must succeed; the new order's id.
    pub async fn place_order(&self, user: &User, zip: &str, key: &str) -> String {
        let res = self.checkout(user, zip, key).await.expect(200, "checkout");
        res.data()["order_id"]
            .as_str()
            .expect("the order id")
            .to_string()
    }

    pub async fn order(&self, user: &User, id: &str) -> Value {
        self.api
            .get(
                &self.url("order", &format!("/v1/orders/{id}")),
                Some(&user.token),
            )
            .await
            .expect(200, "order")
            .data()
            .clone()
    }

    pub async fn wait_status(&self, id: &str, status: &str) -> Value {
        eventually(
            Duration::from_secs(20),
            &format!("order {id} {status}"),
            || async {
                let o = self.order(&self.admin, id).await;
                (o["status"] == status).then_some(o)
            },
        )
        .await
    }

    /// Uploads a PNG proof for `order`; the payment's answer.
    pub async fn upload_proof(&self, user: &User, order: &str) -> Res {
        let form = Form::default()
            .text("orderId", order)
            .text("note", "")
            .file("image", "proof.png", "image/png", PNG);
        self.api
            .multipart(
                reqwest::Method::POST,
                &self.url("payment", "/v1/payments"),
                Some(&user.token),
                &form,
            )
            .await
    }

    /// [`Shop::upload_proof`] that must succeed; the payment's id.
    pub async fn submit_proof(&self, user: &User, order: &str) -> String {
        let res = self
            .upload_proof(user, order)
            .await
            .expect(201, "proof upload");
        res.data()["id"]
            .as_str()
            .expect("the payment id")
            .to_string()
    }

    pub async fn review(&self, payment: &str, status: &str, reject_order: bool) -> Res {
        self.api
            .patch(
                &self.url("payment", "/v1/payments"),
                Some(&self.admin.token),
                &json!({"paymentId": payment, "status": status, "adminNote": "checked",
                        "rejectOrder": reject_order}),
            )
            .await
    }

    pub async fn set_status(&self, order: &str, status: &str, note: &str) -> Res {
        self.api
            .patch(
                &self.url("order", &format!("/v1/orders/{order}/status")),
                Some(&self.admin.token),
                &json!({"status": status, "note": note}),
            )
            .await
    }

    pub async fn cancel(&self, user: &User, order: &str) -> Res {
        self.api
            .post(
                &self.url("order", &format!("/v1/orders/{order}/cancel")),
                Some(&user.token),
                &json!({}),
            )
            .await
    }

    /// Sales rows of `order` through the report API (admin).
    pub async fn sales_of(&self, product: &str) -> Vec<Value> {
        let res = self
            .api
            .get(
                &self.url(
                    "sales-report",
                    &format!("/v1/sales?product_id={product}&limit=100"),
                ),
                Some(&self.admin.token),
            )
            .await
            .expect(200, "sales list");
        res.data().as_array().cloned().unwrap_or_default()
    }
}

//! Issue 4 check 4 (product.md §7 checks 5, 6): uploads are checked by content and size and nothing is
//! stored for a refused one; image URLs follow the configured base; the local proxy serves the bytes.

use crate::support::{png, Ctx, Form, CAR};

#[tokio::test]
async fn non_images_oversized_and_mislabelled_uploads_are_refused_and_nothing_is_stored() {
    let ctx = Ctx::new().await;
    let app = ctx.spawn().await;
    let admin = ctx.admin();
    let base = Form::product("Golf", "20000.00", CAR).without("image");
    let mut big = png();
    big.resize(6 * 1024 * 1024, 0);
    let cases = [
        (
            "a text file named x.png",
            base.clone()
                .file("image", "x.png", "image/png", b"just text".to_vec()),
            415,
        ),
        (
            "an SVG",
            base.clone().file(
                "image",
                "x.svg",
                "image/svg+xml",
                b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>".to_vec(),
            ),
            415,
        ),
        (
            "a 6 MiB image",
            base.clone().file("image", "big.png", "image/png", big),
            413,
        ),
        (
            "a zero-byte image",
            base.clone().file("image", "x.png", "image/png", Vec::new()),
            400,
        ),
        ("no image", base.clone(), 400),
    ];
    for (what, form, status) in cases {
        let r = ctx.form(&app, "POST", "/v1/products", &admin, &form).await;
        assert_eq!(r.status, status, "{what}: {:?}", r.body);
    }
    assert!(ctx.objects().await.is_empty(), "no object stored");
    assert!(
        ctx.scan(&ctx.names.products_table).await.is_empty(),
        "no product stored"
    );
    assert!(ctx.outbox().await.is_empty());

    let form = base.file("image", "x.txt", "application/octet-stream", png());
    let r = ctx.form(&app, "POST", "/v1/products", &admin, &form).await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    let url = r.data()["image_url"].as_str().unwrap();
    assert!(
        url.starts_with("http://localhost:2001/images/product/") && url.ends_with(".png"),
        "{url}"
    );
    assert_eq!(ctx.objects().await.len(), 1);
}

#[tokio::test]
async fn image_urls_follow_the_configured_base_and_the_local_proxy_serves_the_stored_bytes() {
    let ctx = Ctx::new().await;
    let app = ctx.spawn().await;
    let bytes = png();
    let form = Form::product("Jazz", "9000.00", CAR).without("image").file(
        "image",
        "j.png",
        "image/png",
        bytes.clone(),
    );
    let r = ctx
        .form(&app, "POST", "/v1/products", &ctx.admin(), &form)
        .await;
    assert_eq!(r.status, 201);
    let id = r.data()["id"].as_str().unwrap().to_string();
    let url = r.data()["image_url"].as_str().unwrap().to_string();
    let file = url
        .strip_prefix("http://localhost:2001/images/product/")
        .expect("base + key");
    let stem = file.strip_suffix(".png").unwrap();
    assert!(uuid::Uuid::parse_str(stem).is_ok(), "{file}");

    let r = ctx.get(&app, &format!("/images/product/{file}")).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.bytes, bytes, "same bytes");
    assert_eq!(r.headers["content-type"], "image/png");
    assert_eq!(r.headers["x-content-type-options"], "nosniff");
    assert!(r.headers["cache-control"]
        .to_str()
        .unwrap()
        .contains("immutable"));
    for path in [
        "/images/product/..%2f..".to_string(),
        format!("/images/product/{stem}.svg"),
        format!("/images/product/{}.png", uuid::Uuid::new_v4()),
    ] {
        assert_eq!(ctx.get(&app, &path).await.status, 404, "{path}");
    }

    let mut config = ctx.config();
    config.catalogue.image_base_url = "https://cdn.example".into();
    config.catalogue.image_proxy = false;
    let cdn = ctx.spawn_with(config).await;
    let r = ctx.get(&cdn, &format!("/v1/products/{id}")).await;
    assert_eq!(
        r.data()["image_url"],
        format!("https://cdn.example/product/{file}")
    );
    assert_eq!(
        ctx.get(&cdn, &format!("/images/product/{file}"))
            .await
            .status,
        404,
        "no proxy route"
    );
}

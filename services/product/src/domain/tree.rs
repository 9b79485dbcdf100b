//! The category tree of C2 and the descendants used by search (contract: api/product.md §2.1, §2.2).

use std::collections::{HashMap, HashSet};

use serde::Serialize;
use uuid::Uuid;

use super::records::CategoryRecord;

/// api/product.md §2.1 "Category node" (C2): a category with its live children, nested to any depth.
#[derive(Clone, Debug, Serialize, PartialEq, utoipa::ToSchema)]
pub struct CategoryNode {
    pub id: Uuid,
    pub name: String,
    /// the parent's id; "" for roots
    pub parent_id: String,
    /// always an array ([] for a leaf); compat spelling; siblings by name (case-insensitive), then id
    #[schema(no_recursion)]
    pub childs: Vec<CategoryNode>,
}

/// Siblings sorted by name (case-insensitive), then id.
pub fn sort_siblings(categories: &mut [&CategoryRecord]) {
    categories.sort_by(|a, b| {
        a.name
            .to_lowercase()
            .cmp(&b.name.to_lowercase())
            .then(a.id.cmp(&b.id))
    });
}

/// Live children of each live category (`None` key = roots).
fn children_of<'a>(
    categories: impl Iterator<Item = &'a CategoryRecord>,
) -> HashMap<Option<Uuid>, Vec<&'a CategoryRecord>> {
    let mut children: HashMap<Option<Uuid>, Vec<&CategoryRecord>> = HashMap::new();
    for c in categories.filter(|c| c.is_live()) {
        children.entry(c.parent_id).or_default().push(c);
    }
    for list in children.values_mut() {
        sort_siblings(list);
    }
    children
}

/// The live roots with their live descendants to any depth.
pub fn tree<'a>(categories: impl Iterator<Item = &'a CategoryRecord>) -> Vec<CategoryNode> {
    let children = children_of(categories);
    fn build(
        parent: Option<Uuid>,
        children: &HashMap<Option<Uuid>, Vec<&CategoryRecord>>,
        depth: usize,
    ) -> Vec<CategoryNode> {
        // Depth is bounded by MAX_DEPTH on write; the guard keeps a corrupt cycle from recursing forever.
        if depth > 64 {
            return Vec::new();
        }
        children
            .get(&parent)
            .map(|list| {
                list.iter()
                    .map(|c| {
                        let view = c.view();
                        CategoryNode {
                            id: view.id,
                            name: view.name,
                            parent_id: view.parent_id,
                            childs: build(Some(c.id), children, depth + 1),
                        }
                    })
                    .collect()
            })
            .unwrap_or_default()
    }
    build(None, &children, 0)
}

/// `root` and every live category below it.
pub fn with_descendants<'a>(
    root: Uuid,
    categories: impl Iterator<Item = &'a CategoryRecord>,
) -> HashSet<Uuid> {
    let children = children_of(categories);
    let mut found = HashSet::from([root]);
    let mut stack = vec![root];
    while let Some(id) = stack.pop() {
        for child in children.get(&Some(id)).into_iter().flatten() {
            if found.insert(child.id) {
                stack.push(child.id);
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cat(id: u128, name: &str, parent: Option<u128>) -> CategoryRecord {
        CategoryRecord {
            id: Uuid::from_u128(id),
            name: name.into(),
            parent_id: parent.map(Uuid::from_u128),
            depth: 1,
            child_count: 0,
            product_count: 0,
            pinned: false,
            version: 1,
            deleted_at: None,
            changed_at: 0,
        }
    }

    #[test]
    fn the_tree_nests_to_any_depth_with_sorted_siblings_and_empty_leaves() {
        let mut gone = cat(9, "Gone", Some(1));
        gone.deleted_at = Some("2024-01-01T00:00:00Z".into());
        let cats = [
            cat(1, "Car", None),
            cat(2, "motor", None),
            cat(3, "sedan", Some(1)),
            cat(4, "Coupe", Some(1)),
            cat(5, "Compact", Some(3)),
            cat(6, "Tiny", Some(5)),
            gone,
        ];
        let tree = tree(cats.iter());
        assert_eq!(tree.len(), 2);
        assert_eq!(tree[0].name, "Car");
        assert_eq!(tree[0].parent_id, "");
        let names: Vec<_> = tree[0].childs.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["Coupe", "sedan"]);
        assert_eq!(tree[0].childs[1].childs[0].childs[0].name, "Tiny");
        assert!(tree[0].childs[1].childs[0].childs[0].childs.is_empty());
        assert!(tree[1].childs.is_empty());
        let below = with_descendants(Uuid::from_u128(1), cats.iter());
        assert_eq!(below.len(), 5);
        assert!(!below.contains(&Uuid::from_u128(9)));
    }
}

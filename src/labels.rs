//! One labelling type: every classification of the customers (segments, value tiers, lifecycle
//! stages, custom tiers, clusters, …) is an index per customer into a list of names. Summaries,
//! cross-tabs and rules take a [`LabelView`], so they work the same on every one of them.

/// An owned labelling: `index[i]` is customer `i`'s class, a position in `names`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Labels {
    /// Class per customer (index into `names`).
    pub index: Vec<u16>,
    /// Class names, in class order.
    pub names: Vec<String>,
}

impl Labels {
    /// A labelling from its two halves.
    pub fn new(index: Vec<u16>, names: Vec<String>) -> Self {
        Labels { index, names }
    }

    /// Borrowed view for the functions that read labellings.
    pub fn view(&self) -> LabelView<'_> {
        LabelView::new(&self.index, &self.names)
    }

    /// Name of customer `i`'s class; `""` when `i` or its index is out of range.
    pub fn name_of(&self, i: usize) -> &str {
        self.view().name_of(i)
    }
}

/// A borrowed labelling: what summaries, cross-tabs and rules read. Built from a [`Labels`] or from
/// an `index`/`names` pair held elsewhere (e.g. the fields of `score::Classes`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LabelView<'a> {
    /// Class per customer (index into `names`).
    pub index: &'a [u16],
    /// Class names, in class order.
    pub names: &'a [String],
}

impl<'a> LabelView<'a> {
    /// A view of an `index`/`names` pair.
    pub fn new(index: &'a [u16], names: &'a [String]) -> Self {
        LabelView { index, names }
    }

    /// Number of classes.
    pub fn classes(&self) -> usize {
        self.names.len()
    }

    /// Name of customer `i`'s class; `""` when `i` or its index is out of range.
    pub fn name_of(&self, i: usize) -> &'a str {
        self.index
            .get(i)
            .and_then(|&g| self.names.get(usize::from(g)))
            .map_or("", String::as_str)
    }
}

impl<'a> From<&'a Labels> for LabelView<'a> {
    fn from(l: &'a Labels) -> Self {
        l.view()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_by_customer_and_out_of_range() {
        let l = Labels::new(vec![1, 0, 7], vec!["a".into(), "b".into()]);
        assert_eq!(l.name_of(0), "b");
        assert_eq!(l.name_of(1), "a");
        // Index 7 has no name, customer 3 does not exist.
        assert_eq!(l.name_of(2), "");
        assert_eq!(l.name_of(3), "");
        assert_eq!(LabelView::from(&l).classes(), 2);
    }
}

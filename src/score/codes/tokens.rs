//! The token each class takes in a code, by the one set of rules the codes are built with: the
//! table's token where the recipe maps the class, else the default (tier rank with the last tier
//! `0`, segment number `01`…, region letters over the unmapped names, the stage's letter). The
//! page's token editor draws these tables ([`CodePlan::class_tokens`]) instead of deriving them.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{label, region_tokens, stage_token, CodeClasses, CodePlan, Slot};

/// The classes of one template slot with their tokens, in class order (regions sorted, no
/// region last).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SlotTokens {
    /// The slot: a `codes.maps` key (`region`, `tier`, `stage`, `segment`, `custom`) or a score
    /// (`r`, `f`, `m`).
    pub slot: &'static str,
    /// Each class of the file and its token (empty for a score slot: the score is the token).
    pub classes: Vec<ClassToken>,
}

/// One class and the token its customers' codes carry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClassToken {
    /// The class name (`""`: customers without a region).
    pub name: String,
    /// The token used in the codes.
    pub token: String,
    /// Whether the token comes from the recipe's table (else it is the default).
    pub mapped: bool,
}

impl Slot {
    /// The slot's name: a `codes.maps` key for the class slots, `r` / `f` / `m` for the scores.
    pub fn key(self) -> &'static str {
        match self {
            Slot::Region => "region",
            Slot::Tier => "tier",
            Slot::Stage => "stage",
            Slot::Segment => "segment",
            Slot::Custom => "custom",
            Slot::R => "r",
            Slot::F => "f",
            Slot::M => "m",
        }
    }
}

impl CodePlan {
    /// The token of class `g` of `names` in a class slot (not region; `None`: no class), and
    /// whether the recipe's table gave it.
    pub(super) fn class_token(
        &self,
        slot: Slot,
        names: &[String],
        g: Option<usize>,
    ) -> (String, bool) {
        let name = g.and_then(|g| names.get(g)).map_or("", String::as_str);
        let table = match slot {
            Slot::Tier => &self.maps.tier,
            Slot::Stage => &self.maps.stage,
            Slot::Segment => &self.maps.segment,
            Slot::Custom => &self.maps.custom,
            Slot::Region | Slot::R | Slot::F | Slot::M => return (String::new(), false),
        };
        if let Some(t) = table.get(name) {
            return (t.clone(), true);
        }
        let token = match slot {
            // The last (lowest) tier is 0, the others their rank from the top.
            Slot::Tier => {
                let ix = g.unwrap_or(0);
                if ix == names.len().saturating_sub(1) {
                    "0".to_string()
                } else {
                    (ix + 1).to_string()
                }
            }
            Slot::Segment => format!("{:02}", g.unwrap_or(0) + 1),
            Slot::Custom => g.map_or(String::new(), |g| (g + 1).to_string()),
            _ => stage_token(name),
        };
        (token, false)
    }

    /// The token of customer `i` in `slot`, `regions` being [`region_tokens`] of the file.
    pub(super) fn token_of(
        &self,
        slot: Slot,
        c: &CodeClasses<'_>,
        regions: &BTreeMap<String, String>,
        i: usize,
    ) -> String {
        let class = |pair: (&[u16], &[String])| self.class_token(slot, pair.1, label(pair, i)).0;
        match slot {
            Slot::Region => {
                let r = c.region.get(i).and_then(Option::as_deref).unwrap_or("");
                regions.get(r).cloned().unwrap_or_default()
            }
            Slot::Tier => class(c.tier),
            Slot::Stage => class(c.stage),
            Slot::Segment => class(c.segment),
            Slot::Custom => class(c.custom),
            Slot::R => c.r.get(i).map_or(String::new(), u8::to_string),
            Slot::F => c.f.get(i).map_or(String::new(), u8::to_string),
            Slot::M => c.m.get(i).map_or(String::new(), u8::to_string),
        }
    }

    /// The template's slots (in template order, each once) with the token of each class of this
    /// file: what the page's code editor shows.
    pub fn class_tokens(&self, c: &CodeClasses<'_>) -> Vec<SlotTokens> {
        let mut out: Vec<SlotTokens> = Vec::new();
        for slot in self.template.slots() {
            let key = slot.key();
            if out.iter().any(|s| s.slot == key) {
                continue;
            }
            let classes = match slot {
                Slot::R | Slot::F | Slot::M => Vec::new(),
                Slot::Region => {
                    let tokens =
                        region_tokens(c.region.iter().map(Option::as_deref), &self.maps.region);
                    let mut names: Vec<&str> =
                        c.region.iter().flatten().map(String::as_str).collect();
                    names.sort_unstable();
                    names.dedup();
                    if c.region.iter().any(Option::is_none) {
                        names.push("");
                    }
                    names
                        .into_iter()
                        .map(|n| ClassToken {
                            name: n.to_string(),
                            token: tokens.get(n).cloned().unwrap_or_default(),
                            mapped: self.maps.region.contains_key(n),
                        })
                        .collect()
                }
                _ => {
                    let names = match slot {
                        Slot::Tier => c.tier.1,
                        Slot::Stage => c.stage.1,
                        Slot::Segment => c.segment.1,
                        _ => c.custom.1,
                    };
                    (0..names.len())
                        .map(|g| {
                            let (token, mapped) = self.class_token(slot, names, Some(g));
                            ClassToken {
                                name: names.get(g).cloned().unwrap_or_default(),
                                token,
                                mapped,
                            }
                        })
                        .collect()
                }
            };
            out.push(SlotTokens { slot: key, classes });
        }
        out
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::super::{CodeClasses, CodeOptions};

    #[test]
    fn the_tables_hold_the_tokens_the_codes_carry() {
        let mut o = CodeOptions {
            template: "{region}{tier}{lifecycle}{value_tier}-{seq}".into(),
            ..CodeOptions::default()
        };
        o.maps.region.insert("北京".into(), "B".into());
        o.maps.stage.insert("Active".into(), "Z".into());
        let plan = o.check().unwrap();
        let region = [Some("上海"), None, Some("北京"), Some("广州")].map(|r| r.map(String::from));
        let tiers = ["Gold", "Silver", "Bronze"].map(String::from);
        let stages = ["New", "Active", "Lost"].map(String::from);
        let segments = ["Champions".to_string()];
        let c = CodeClasses {
            region: &region,
            tier: (&[0, 1, 2, 2], &tiers),
            stage: (&[0, 1, 2, 1], &stages),
            segment: (&[0; 4], &segments),
            custom: (&[], &[]),
            r: &[1; 4],
            f: &[1; 4],
            m: &[1; 4],
        };
        let tables = plan.class_tokens(&c);
        // One table per slot, in template order; `{value_tier}` is the tier slot again.
        let slots: Vec<&str> = tables.iter().map(|t| t.slot).collect();
        assert_eq!(slots, ["region", "tier", "stage"]);
        let o = CodeOptions {
            template: "{r}{f}{tier}-{seq}".into(),
            ..CodeOptions::default()
        };
        let scores = o.check().unwrap().class_tokens(&c);
        let shape: Vec<(&str, usize)> = scores.iter().map(|t| (t.slot, t.classes.len())).collect();
        assert_eq!(shape, [("r", 0), ("f", 0), ("tier", 3)]);
        let pairs = |k: usize| -> Vec<(String, String, bool)> {
            tables[k]
                .classes
                .iter()
                .map(|c| (c.name.clone(), c.token.clone(), c.mapped))
                .collect()
        };
        let p = |n: &str, t: &str, m: bool| (n.to_string(), t.to_string(), m);
        // By hand: regions sorted (上 < 北 < 广 in code points); 北京 is mapped to B, so the
        // unmapped ones take A and then C (B is taken); no region is 0.
        assert_eq!(
            pairs(0),
            [
                p("上海", "A", false),
                p("北京", "B", true),
                p("广州", "C", false),
                p("", "0", false)
            ]
        );
        // Tiers: rank from the top, the last tier 0.
        assert_eq!(
            pairs(1),
            [
                p("Gold", "1", false),
                p("Silver", "2", false),
                p("Bronze", "0", false)
            ]
        );
        assert_eq!(
            pairs(2),
            [
                p("New", "N", false),
                p("Active", "Z", true),
                p("Lost", "X", false)
            ]
        );
        // The codes are built from the same tokens: customer 0 is 上海 · Gold · New · Gold.
        let (key_of, keys) = plan.class_keys(4, &c);
        let prefixes: Vec<&str> = key_of
            .iter()
            .map(|&k| keys[k as usize].0.as_str())
            .collect();
        assert_eq!(prefixes, ["A1N1-", "02Z2-", "B0X0-", "C0Z0-"]);
    }
}

//! Recommended action per segment, value tier or lifecycle stage (DOMAIN.md §1, "per-tier strategy").
//!
//! Each customer's `action` comes from one class, chosen by `actions.basis` (default `segment`). The
//! text is the recipe's own (`actions.text`, keyed by class name) when given, else the built-in default
//! in `actions.language` (`en` or `zh`), else empty.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Which class drives the action column.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ActionBasis {
    /// The RFM segment.
    #[default]
    Segment,
    /// The value tier.
    Tier,
    /// The lifecycle stage.
    Lifecycle,
    /// The custom rule tier.
    Custom,
}

/// Language of the built-in action texts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    /// English.
    #[default]
    En,
    /// Chinese (simplified).
    Zh,
}

/// Action settings of the recipe (`actions`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct ActionOptions {
    /// Class the action follows (default `segment`).
    pub basis: ActionBasis,
    /// Language of the default texts (default `en`).
    pub language: Language,
    /// Own texts by class name; they replace the defaults.
    pub text: BTreeMap<String, String>,
}

/// Built-in (name, English, Chinese) texts.
const DEFAULTS: [(&str, &str, &str); 37] = [
    // Segments (rfm11, rf10, rfm-ranges spellings).
    (
        "Champions",
        "Reward them: early access, VIP perks, ask for reviews and referrals",
        "重点维护：专属权益、新品优先体验，邀请评价与转介绍",
    ),
    (
        "Loyal Customers",
        "Upsell higher-value products; enrol in the loyalty programme",
        "向上销售高价值产品，邀请加入会员忠诚计划",
    ),
    (
        "Potential Loyalists",
        "Offer membership or loyalty points; recommend related products",
        "推荐会员与积分计划，推荐相关产品",
    ),
    (
        "Potential Loyalist",
        "Offer membership or loyalty points; recommend related products",
        "推荐会员与积分计划，推荐相关产品",
    ),
    (
        "Recent Customers",
        "Onboard well: welcome series, first-use support",
        "做好新客引导：欢迎邮件、使用指导",
    ),
    (
        "New Customers",
        "Onboard well: welcome series, first-use support",
        "做好新客引导：欢迎邮件、使用指导",
    ),
    (
        "Promising",
        "Build awareness: free trials, targeted offers",
        "提升认知：试用与定向优惠",
    ),
    (
        "Need Attention",
        "Limited-time offers based on past purchases",
        "基于历史购买推送限时优惠",
    ),
    (
        "About to Sleep",
        "Re-engage with popular products and discounts",
        "用热门产品与折扣重新激活",
    ),
    (
        "About To Sleep",
        "Re-engage with popular products and discounts",
        "用热门产品与折扣重新激活",
    ),
    (
        "At Risk",
        "Win-back campaign: personal e-mails, renewal offers",
        "开展挽回活动：个性化沟通与续购优惠",
    ),
    (
        "Can't Lose Them",
        "Win them back personally: account manager call, strong offer",
        "专人挽回：客户经理联系，提供有力优惠",
    ),
    (
        "Hibernating",
        "Low-cost reactivation; recommend other categories",
        "低成本唤醒，推荐其他品类",
    ),
    (
        "Lost",
        "Low-cost win-back attempt, otherwise stop spending",
        "低成本尝试挽回，否则停止投入",
    ),
    (
        "Others",
        "Review these customers: no segment rule matches them",
        "复核此类客户：没有匹配的分群规则",
    ),
    // three-level.
    ("Loyal", "Upsell and reward loyalty", "向上销售并奖励忠诚"),
    (
        "Recent",
        "Onboard and encourage a second purchase",
        "引导新客完成第二次购买",
    ),
    (
        "Needs Attention",
        "Timely offers to bring them back before they lapse",
        "在流失前用及时优惠召回",
    ),
    (
        "Inactive",
        "Low-cost reactivation or suppress from campaigns",
        "低成本唤醒或暂停营销投入",
    ),
    // Value tiers.
    (
        "Platinum",
        "Dedicated account manager and custom offers",
        "专属客户经理与定制方案",
    ),
    (
        "Gold",
        "Priority service, member-only offers",
        "优先服务与会员专享优惠",
    ),
    (
        "Silver",
        "Points, coupons and member offers to move them up",
        "积分、优惠券与会员活动促其升级",
    ),
    ("Bronze", "Low-cost automated care", "低成本自动化关怀"),
    (
        "High",
        "Dedicated account manager and custom offers",
        "专属客户经理与定制方案",
    ),
    (
        "Medium",
        "Points, coupons and member-only offers",
        "积分、优惠券与会员专享优惠",
    ),
    ("Low", "Low-cost automated care", "低成本自动化关怀"),
    (
        "No Spend",
        "Convert: first-purchase offer",
        "促成首单：首购优惠",
    ),
    // Lifecycle stages.
    (
        "Prospect",
        "Convert: first-purchase offer",
        "促成首单：首购优惠",
    ),
    (
        "New",
        "Onboarding: welcome series and second-purchase offer",
        "新客引导：欢迎礼与复购优惠",
    ),
    (
        "Active",
        "Keep engaged: loyalty programme, cross-sell",
        "保持活跃：会员计划与交叉销售",
    ),
    (
        "Due",
        "Timely reminder: replenishment or new arrivals",
        "及时提醒：补货或新品推荐",
    ),
    (
        "Lapsing",
        "Re-engage with a personal offer before they are lost",
        "流失前个性化优惠召回",
    ),
    ("Churned", "Win-back campaign", "开展流失挽回活动"),
    // Shared names resolved above ("At Risk", "Lost"); custom-tier examples.
    (
        "VIP",
        "Dedicated account manager and custom offers",
        "专属客户经理与定制方案",
    ),
    (
        "Standard",
        "Points, coupons and member-only offers",
        "积分、优惠券与会员专享优惠",
    ),
    ("Other", "Low-cost automated care", "低成本自动化关怀"),
    (
        "Potential",
        "Nurture with targeted offers",
        "定向优惠培养潜力",
    ),
];

/// The built-in texts as (class name, English, Chinese), in a fixed order (for display and reset).
pub fn defaults() -> impl Iterator<Item = (&'static str, &'static str, &'static str)> {
    DEFAULTS.iter().copied()
}

impl ActionOptions {
    /// The action text for a class name.
    pub fn text_for(&self, name: &str) -> String {
        if let Some(t) = self.text.get(name) {
            return t.clone();
        }
        DEFAULTS
            .iter()
            .find(|(n, _, _)| *n == name)
            .map(|(_, en, zh)| match self.language {
                Language::En => (*en).to_string(),
                Language::Zh => (*zh).to_string(),
            })
            .unwrap_or_default()
    }

    /// Texts for a list of class names, in the same order.
    pub fn table(&self, names: &[String]) -> Vec<String> {
        names.iter().map(|n| self.text_for(n)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_cover_every_preset_name() {
        let opts = ActionOptions::default();
        let zh = ActionOptions {
            language: Language::Zh,
            ..ActionOptions::default()
        };
        for preset in crate::score::segments::PRESETS {
            let rules = crate::score::segments::preset(preset).unwrap();
            for name in rules.segment_names() {
                assert!(!opts.text_for(&name).is_empty(), "{preset}: {name}");
                assert!(!zh.text_for(&name).is_empty(), "{preset}: {name}");
            }
        }
        for name in crate::score::lifecycle::FIXED_STAGES
            .iter()
            .chain(&crate::score::lifecycle::RELATIVE_STAGES)
        {
            assert!(!opts.text_for(name).is_empty(), "{name}");
        }
        let edited = ActionOptions {
            text: [("Champions".to_string(), "Call them".to_string())].into(),
            ..ActionOptions::default()
        };
        assert_eq!(edited.text_for("Champions"), "Call them");
        assert_eq!(edited.text_for("Nobody"), "");
    }
}

//! Why a k-means fit cannot run: one variant per invalid setting (as linfa's `KMeansParamsError`),
//! each with its own stable code, plus the data problems.

/// Why a k-means fit cannot run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum KMeansError {
    /// `k` is 0.
    #[error("k cannot be 0")]
    ZeroClusters,
    /// `k` is above what a label (`u16`) can hold.
    #[error("k = {0} is too large")]
    TooManyClusters(usize),
    /// `nInit` is 0.
    #[error("nInit cannot be 0")]
    ZeroInitialisations,
    /// `maxIter` is 0.
    #[error("maxIter cannot be 0")]
    ZeroIterations,
    /// The tolerance is negative, NaN or infinite.
    #[error("tolerance must be a finite number ≥ 0, not {0}")]
    InvalidTolerance(f64),
    /// The data cannot be clustered as asked.
    #[error("{0}")]
    InvalidData(String),
    /// An error from linfa's dataset layer.
    #[error(transparent)]
    Linfa(#[from] LinfaError),
}

impl KMeansError {
    /// Stable identifier of the variant (the `code` of the crate error it becomes).
    pub fn code(&self) -> &'static str {
        match self {
            KMeansError::ZeroClusters => "kmeans_zero_k",
            KMeansError::TooManyClusters(_) => "kmeans_k_too_large",
            KMeansError::ZeroInitialisations => "kmeans_zero_n_init",
            KMeansError::ZeroIterations => "kmeans_zero_max_iter",
            KMeansError::InvalidTolerance(_) => "kmeans_invalid_tolerance",
            KMeansError::InvalidData(_) | KMeansError::Linfa(_) => "analysis",
        }
    }

    /// The recipe setting an invalid parameter comes from (`cluster.k`, …); `None` for data errors.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            KMeansError::ZeroClusters | KMeansError::TooManyClusters(_) => Some("cluster.k"),
            KMeansError::ZeroInitialisations => Some("cluster.nInit"),
            KMeansError::ZeroIterations => Some("cluster.maxIter"),
            KMeansError::InvalidTolerance(_) => Some("cluster.tolerance"),
            KMeansError::InvalidData(_) | KMeansError::Linfa(_) => None,
        }
    }
}

/// linfa's error, wrapped so [`KMeansError`] stays `Clone + PartialEq`.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{0}")]
pub struct LinfaError(pub String);

impl From<linfa::Error> for KMeansError {
    fn from(e: linfa::Error) -> Self {
        KMeansError::Linfa(LinfaError(e.to_string()))
    }
}

impl From<KMeansError> for crate::error::Error {
    fn from(e: KMeansError) -> Self {
        match e.field() {
            Some(field) => crate::error::Error::InvalidKMeansParam {
                code: e.code(),
                field,
                message: e.to_string(),
            },
            None => crate::error::Error::Analysis(format!("k-means: {e}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_invalid_setting_has_its_own_code_and_field() {
        let all = [
            KMeansError::ZeroClusters,
            KMeansError::TooManyClusters(70_000),
            KMeansError::ZeroInitialisations,
            KMeansError::ZeroIterations,
            KMeansError::InvalidTolerance(-1.0),
        ];
        let codes: std::collections::BTreeSet<_> = all.iter().map(KMeansError::code).collect();
        assert_eq!(codes.len(), all.len());
        let e = crate::error::Error::from(KMeansError::ZeroIterations);
        assert_eq!(e.code(), "kmeans_zero_max_iter");
        assert_eq!(
            e.to_string(),
            "invalid k-means setting cluster.maxIter: maxIter cannot be 0"
        );
        let data = crate::error::Error::from(KMeansError::InvalidData("x".into()));
        assert_eq!(data.code(), "analysis");
    }
}

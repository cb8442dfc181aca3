//! Perplexity ↔ loss. Loss is cross-entropy in nats (ppl = e^loss) unless a `_bits`
//! function is used (ppl = 2^loss).

/// Loss in nats from perplexity: `ln ppl`.
pub fn ppl_to_loss(ppl: f64) -> f64 {
    ppl.ln()
}

/// Perplexity from a loss in nats: `e^loss`.
pub fn loss_to_ppl(loss: f64) -> f64 {
    loss.exp()
}

/// Loss in bits from perplexity: `log₂ ppl`.
pub fn ppl_to_loss_bits(ppl: f64) -> f64 {
    ppl.log2()
}

/// Perplexity from a loss in bits: `2^loss`.
pub fn loss_bits_to_ppl(loss_bits: f64) -> f64 {
    loss_bits.exp2()
}

/// Convert a loss in bits to nats.
pub fn bits_to_nats(bits: f64) -> f64 {
    bits * std::f64::consts::LN_2
}

/// Convert a loss in nats to bits.
pub fn nats_to_bits(nats: f64) -> f64 {
    nats / std::f64::consts::LN_2
}

// Anchoring: writing a short text (the ledger's latest signed root) into a public chain, so that a
// later rewrite of the ledger's history shows against a record nobody here controls.
// Cosmos SDK chains are the first implementation (platform/cosmos); another chain implements this.

export interface AnchorReceipt {
  /** The transaction's id on the chain (for Cosmos: upper-case hex SHA-256 of the signed tx bytes). */
  txHash: string;
  /** The block it landed in; null when it was accepted but not yet seen in a block. */
  height: number | null;
  chainId: string;
}

export interface AnchoredTx {
  memo: string;
  height: number;
  /** False when the chain included the transaction but it failed to execute. */
  succeeded: boolean;
}

export interface Anchor {
  /** Names the chain in stored anchors, e.g. "cosmos:cosmoshub-4": an anchor is read back only by the same chain. */
  readonly name: string;
  /** Writes `memo` to the chain in one transaction. */
  anchor(memo: string): Promise<AnchorReceipt>;
  /** Reads a transaction back from the chain; null when the chain does not know it (yet). */
  readBack(txHash: string): Promise<AnchoredTx | null>;
  /** Releases connections. */
  close(): Promise<void>;
}

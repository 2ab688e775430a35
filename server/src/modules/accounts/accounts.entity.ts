import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from "typeorm";

// Column types are explicit everywhere so any TypeScript runner works, with or without decorator metadata.

@Entity("users")
export class UserEntity {
  @PrimaryGeneratedColumn("uuid") id: string;
  /** Stored lower-cased; unique. */
  @Column({ type: "text" }) email: string;
  @Column({ type: "text" }) name: string;
  @Column({ type: "text", name: "password_hash", select: false }) passwordHash: string;
  @CreateDateColumn({ type: "timestamptz", name: "created_at" }) createdAt: Date;
  @UpdateDateColumn({ type: "timestamptz", name: "updated_at" }) updatedAt: Date;
}

@Entity("sessions")
export class SessionEntity {
  @PrimaryGeneratedColumn("uuid") id: string;
  @Column({ type: "uuid", name: "user_id" }) userId: string;
  @Column({ type: "text", name: "token_hash" }) tokenHash: string;
  @CreateDateColumn({ type: "timestamptz", name: "created_at" }) createdAt: Date;
  @Column({ type: "timestamptz", name: "expires_at" }) expiresAt: Date;
  @Column({ type: "timestamptz", name: "last_seen_at" }) lastSeenAt: Date;
}

@Entity("api_tokens")
export class ApiTokenEntity {
  @PrimaryGeneratedColumn("uuid") id: string;
  @Column({ type: "uuid", name: "user_id" }) userId: string;
  @Column({ type: "text" }) name: string;
  /** The first characters of the token, shown so a user can tell tokens apart. */
  @Column({ type: "text" }) prefix: string;
  @Column({ type: "text", name: "token_hash" }) tokenHash: string;
  @CreateDateColumn({ type: "timestamptz", name: "created_at" }) createdAt: Date;
  @Column({ type: "timestamptz", name: "last_used_at", nullable: true }) lastUsedAt: Date | null;
  @Column({ type: "timestamptz", name: "expires_at", nullable: true }) expiresAt: Date | null;
  @Column({ type: "timestamptz", name: "revoked_at", nullable: true }) revokedAt: Date | null;
}

@Entity("login_attempts")
export class LoginAttemptEntity {
  @PrimaryGeneratedColumn({ type: "bigint" }) id: string;
  /** SHA-256 of the e-mail address tried, so the table holds no addresses in clear. */
  @Column({ type: "text", name: "account_key" }) accountKey: string;
  @Column({ type: "text" }) address: string;
  @Column({ type: "boolean" }) succeeded: boolean;
  @CreateDateColumn({ type: "timestamptz" }) at: Date;
}

import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from "typeorm";

// Column types are explicit everywhere so any TypeScript runner works, with or without decorator metadata.

@Entity("users")
export class UserEntity {
  @PrimaryGeneratedColumn("uuid") id: string;
  /** Stored lower-cased; unique. */
  @Column({ type: "text" }) email: string;
  @Column({ type: "text" }) name: string;
  @Column({ type: "text", name: "password_hash", select: false }) passwordHash: string;
  /** Administers the server's accounts; grants nothing inside any project. */
  @Column({ type: "boolean" }) admin: boolean;
  /** Set while the account may not log in. */
  @Column({ type: "timestamptz", name: "disabled_at", nullable: true }) disabledAt: Date | null;
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
  @Column({ type: "text", name: "user_agent", nullable: true }) userAgent: string | null;
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

@Entity("invitations")
export class InvitationEntity {
  @PrimaryGeneratedColumn("uuid") id: string;
  @Column({ type: "uuid", name: "project_id" }) projectId: string;
  /** Stored lower-cased. */
  @Column({ type: "text" }) email: string;
  @Column({ type: "text" }) role: string;
  @Column({ type: "text", name: "token_hash", select: false }) tokenHash: string;
  @Column({ type: "uuid", name: "invited_by", nullable: true }) invitedBy: string | null;
  @CreateDateColumn({ type: "timestamptz", name: "created_at" }) createdAt: Date;
  @Column({ type: "timestamptz", name: "expires_at" }) expiresAt: Date;
  @Column({ type: "timestamptz", name: "accepted_at", nullable: true }) acceptedAt: Date | null;
  @Column({ type: "uuid", name: "accepted_by", nullable: true }) acceptedBy: string | null;
  @Column({ type: "timestamptz", name: "revoked_at", nullable: true }) revokedAt: Date | null;
}

@Entity("password_resets")
export class PasswordResetEntity {
  @PrimaryGeneratedColumn("uuid") id: string;
  @Column({ type: "uuid", name: "user_id" }) userId: string;
  @Column({ type: "text", name: "token_hash", select: false }) tokenHash: string;
  @Column({ type: "uuid", name: "created_by", nullable: true }) createdBy: string | null;
  @CreateDateColumn({ type: "timestamptz", name: "created_at" }) createdAt: Date;
  @Column({ type: "timestamptz", name: "expires_at" }) expiresAt: Date;
  @Column({ type: "timestamptz", name: "used_at", nullable: true }) usedAt: Date | null;
  @Column({ type: "timestamptz", name: "revoked_at", nullable: true }) revokedAt: Date | null;
  /** Asked for by the account's owner ("Forgot your password?"), not issued by an administrator. */
  @Column({ type: "boolean", name: "self_service" }) selfService: boolean;
}

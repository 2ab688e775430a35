import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root, Subscription } from "type-graphql";
import type { Context } from "../../context.js";
import type { MembershipEventPayload, ProjectEventPayload } from "./projects.service.js";
import {
  CreateLabelInput,
  CreateProjectInput,
  GrantRoleInput,
  LabelCopy,
  LabelDefinition,
  LabelGroup,
  LabelGroupInput,
  Member,
  MembershipEvent,
  Project,
  ProjectEvent,
  ProjectSettingsInput,
  UpdateLabelInput,
} from "./projects.types.js";

@Resolver(() => Project)
export class ProjectsResolver {
  @Query(() => [Project], { description: "Projects you are a member of." })
  async myProjects(
    @Arg("includeArchived", () => Boolean, { defaultValue: false }) includeArchived: boolean,
    @Ctx() ctx: Context,
  ): Promise<Project[]> {
    return (await ctx.services.projects.mine(ctx.actor, includeArchived)).map(Project.from);
  }

  @Query(() => Project)
  async project(@Arg("id", () => ID) id: string, @Ctx() ctx: Context): Promise<Project> {
    return Project.from(await ctx.services.projects.get(ctx.actor, id));
  }

  @FieldResolver(() => [LabelDefinition], { description: "Label definitions in their order." })
  async labels(
    @Root() project: Project,
    @Arg("includeArchived", () => Boolean, { defaultValue: false }) includeArchived: boolean,
    @Ctx() ctx: Context,
  ): Promise<LabelDefinition[]> {
    // The parent Project was only resolved for someone allowed to view it.
    return (await ctx.services.projects.labels(project.id, includeArchived)).map(LabelDefinition.from);
  }

  @FieldResolver(() => [LabelGroup], { description: "Label groups by the place of their first label." })
  async labelGroups(@Root() project: Project, @Ctx() ctx: Context): Promise<LabelGroup[]> {
    return (await ctx.services.projects.labelGroups(project.id)).map(LabelGroup.from);
  }

  @Mutation(() => Project, { description: "Creates a project; you become its owner." })
  async createProject(@Arg("input", () => CreateProjectInput) input: CreateProjectInput, @Ctx() ctx: Context): Promise<Project> {
    return Project.from(await ctx.services.projects.create(ctx.actor, input.name, input));
  }

  @Mutation(() => Project)
  async renameProject(@Arg("id", () => ID) id: string, @Arg("name", () => String) name: string, @Ctx() ctx: Context): Promise<Project> {
    return Project.from(await ctx.services.projects.rename(ctx.actor, id, name));
  }

  @Mutation(() => Project)
  async updateProjectSettings(
    @Arg("id", () => ID) id: string,
    @Arg("input", () => ProjectSettingsInput) input: ProjectSettingsInput,
    @Ctx() ctx: Context,
  ): Promise<Project> {
    return Project.from(await ctx.services.projects.updateSettings(ctx.actor, id, input));
  }

  @Mutation(() => Project, { description: "Archived projects are read-only until unarchived." })
  async archiveProject(@Arg("id", () => ID) id: string, @Ctx() ctx: Context): Promise<Project> {
    return Project.from(await ctx.services.projects.archive(ctx.actor, id));
  }

  @Mutation(() => Project)
  async unarchiveProject(@Arg("id", () => ID) id: string, @Ctx() ctx: Context): Promise<Project> {
    return Project.from(await ctx.services.projects.unarchive(ctx.actor, id));
  }

  @Mutation(() => LabelDefinition)
  async createLabel(
    @Arg("projectId", () => ID) projectId: string,
    @Arg("input", () => CreateLabelInput) input: CreateLabelInput,
    @Ctx() ctx: Context,
  ): Promise<LabelDefinition> {
    return LabelDefinition.from(await ctx.services.projects.createLabel(ctx.actor, projectId, input));
  }

  @Mutation(() => LabelDefinition)
  async updateLabel(
    @Arg("id", () => ID) id: string,
    @Arg("input", () => UpdateLabelInput) input: UpdateLabelInput,
    @Ctx() ctx: Context,
  ): Promise<LabelDefinition> {
    return LabelDefinition.from(await ctx.services.projects.updateLabel(ctx.actor, id, input));
  }

  @Mutation(() => LabelDefinition, { description: "Hides a label from new annotations; recorded data keeps it." })
  async archiveLabel(@Arg("id", () => ID) id: string, @Ctx() ctx: Context): Promise<LabelDefinition> {
    return LabelDefinition.from(await ctx.services.projects.setLabelArchived(ctx.actor, id, true));
  }

  @Mutation(() => LabelDefinition)
  async restoreLabel(@Arg("id", () => ID) id: string, @Ctx() ctx: Context): Promise<LabelDefinition> {
    return LabelDefinition.from(await ctx.services.projects.setLabelArchived(ctx.actor, id, false));
  }

  @Mutation(() => [LabelDefinition], { description: "Sets the order of the active labels; list each exactly once." })
  async reorderLabels(
    @Arg("projectId", () => ID) projectId: string,
    @Arg("labelIds", () => [ID]) labelIds: string[],
    @Ctx() ctx: Context,
  ): Promise<LabelDefinition[]> {
    return (await ctx.services.projects.reorderLabels(ctx.actor, projectId, labelIds)).map(LabelDefinition.from);
  }

  @Mutation(() => LabelCopy, {
    description:
      "Copies another project's active labels and label groups (which you may view) after this project's own; a label whose name is taken here, or a group that cannot be made, is left out and named.",
  })
  async copyLabels(
    @Arg("projectId", () => ID) projectId: string,
    @Arg("sourceProjectId", () => ID) sourceProjectId: string,
    @Ctx() ctx: Context,
  ): Promise<LabelCopy> {
    const r = await ctx.services.projects.copyLabels(ctx.actor, projectId, sourceProjectId);
    return Object.assign(new LabelCopy(), { labels: r.created.map(LabelDefinition.from), groups: r.groups.map(LabelGroup.from), skipped: r.skipped });
  }

  @Mutation(() => LabelGroup, { description: "Groups classification labels among which a reader gives one answer." })
  async createLabelGroup(
    @Arg("projectId", () => ID) projectId: string,
    @Arg("input", () => LabelGroupInput) input: LabelGroupInput,
    @Ctx() ctx: Context,
  ): Promise<LabelGroup> {
    return LabelGroup.from(await ctx.services.projects.createLabelGroup(ctx.actor, projectId, input));
  }

  @Mutation(() => LabelGroup)
  async updateLabelGroup(
    @Arg("id", () => ID) id: string,
    @Arg("input", () => LabelGroupInput) input: LabelGroupInput,
    @Ctx() ctx: Context,
  ): Promise<LabelGroup> {
    return LabelGroup.from(await ctx.services.projects.updateLabelGroup(ctx.actor, id, input));
  }

  @Mutation(() => Boolean, { description: "Its labels stay, ungrouped, with everything recorded with them." })
  deleteLabelGroup(@Arg("id", () => ID) id: string, @Ctx() ctx: Context): Promise<boolean> {
    return ctx.services.projects.deleteLabelGroup(ctx.actor, id);
  }

  @Query(() => [Member])
  async projectMembers(@Arg("projectId", () => ID) projectId: string, @Ctx() ctx: Context): Promise<Member[]> {
    return (await ctx.services.projects.members(ctx.actor, projectId)).map(Member.from);
  }

  @Mutation(() => Member, { description: "Grants a role to an existing account, or changes its role." })
  async grantRole(
    @Arg("projectId", () => ID) projectId: string,
    @Arg("input", () => GrantRoleInput) input: GrantRoleInput,
    @Ctx() ctx: Context,
  ): Promise<Member> {
    return Member.from(await ctx.services.projects.grantRole(ctx.actor, projectId, input.email, input.role));
  }

  @Mutation(() => Boolean)
  revokeRole(
    @Arg("projectId", () => ID) projectId: string,
    @Arg("userId", () => ID) userId: string,
    @Ctx() ctx: Context,
  ): Promise<boolean> {
    return ctx.services.projects.revokeRole(ctx.actor, projectId, userId);
  }

  @Subscription(() => ProjectEvent, {
    description: "Changes to a project you can see. Ends when you lose access.",
    subscribe: ({ args, context }) => (context as Context).services.projects.events((context as Context).actor, args.projectId as string),
  })
  projectEvents(@Arg("projectId", () => ID) _projectId: string, @Root() payload: ProjectEventPayload): ProjectEvent {
    return ProjectEvent.from(payload);
  }

  @Subscription(() => MembershipEvent, {
    description: "Your own memberships as they change, so your project list stays current.",
    subscribe: ({ context }) => (context as Context).services.projects.membershipEvents((context as Context).actor),
  })
  myMembershipEvents(@Root() payload: MembershipEventPayload): MembershipEvent {
    return MembershipEvent.from(payload);
  }
}

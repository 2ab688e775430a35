import {
  GraphQLError,
  Kind,
  type ASTVisitor,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from "graphql";
import { fieldExtensionsEstimator, getComplexity, simpleEstimator } from "graphql-query-complexity";

export interface Limits {
  maxDepth: number;
  maxComplexity: number;
  maxAliases: number;
  maxTokens: number;
}

/** Rejects operations nested deeper than `max` (introspection's own fields are not counted). */
export function depthLimit(max: number): ValidationRule {
  return (context: ValidationContext): ASTVisitor => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const d of context.getDocument().definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
    const depthOf = (set: SelectionSetNode | undefined, seen: Set<string>): number => {
      if (!set) return 0;
      let deepest = 0;
      for (const s of set.selections) {
        if (s.kind === Kind.FIELD) {
          if (s.name.value.startsWith("__")) continue;
          deepest = Math.max(deepest, 1 + depthOf(s.selectionSet, seen));
        } else if (s.kind === Kind.INLINE_FRAGMENT) {
          deepest = Math.max(deepest, depthOf(s.selectionSet, seen));
        } else {
          const name = s.name.value;
          if (seen.has(name)) continue; // cycles are reported by the standard NoFragmentCycles rule
          const f = fragments.get(name);
          if (f) deepest = Math.max(deepest, depthOf(f.selectionSet, new Set([...seen, name])));
        }
      }
      return deepest;
    };
    return {
      OperationDefinition(op) {
        const depth = depthOf(op.selectionSet, new Set());
        if (depth > max) {
          context.reportError(
            new GraphQLError(`Operation ${op.name?.value ?? "(anonymous)"} is nested ${depth} levels deep; the limit is ${max}`, {
              nodes: [op],
              extensions: { code: "QUERY_TOO_DEEP" },
            }),
          );
        }
      },
    };
  };
}

/** Caps aliases per document: aliases multiply the work of one request (alias-based batching attacks). */
export function aliasLimit(max: number): ValidationRule {
  return (context: ValidationContext): ASTVisitor => {
    let count = 0;
    return {
      Field(node) {
        if (node.alias && ++count === max + 1) {
          context.reportError(
            new GraphQLError(`The document uses more than ${max} aliases`, { nodes: [node], extensions: { code: "TOO_MANY_ALIASES" } }),
          );
        }
      },
    };
  };
}

export const validationRules = (limits: Limits): ValidationRule[] => [depthLimit(limits.maxDepth), aliasLimit(limits.maxAliases)];

/** Estimated cost of an operation: 1 per field, or the field's own complexity where a resolver declares it. */
export function assertComplexity(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName: string | undefined | null,
  max: number,
): void {
  let complexity: number;
  try {
    complexity = getComplexity({
      schema,
      query: document,
      variables: variables ?? {},
      ...(operationName ? { operationName } : {}),
      estimators: [fieldExtensionsEstimator(), simpleEstimator({ defaultComplexity: 1 })],
    });
  } catch (err) {
    // Counting needs the variables' values, so variables that do not fit their types (a value no
    // enum has, a word for an Int, a required one missing) are found here, first: the client's
    // mistake, in graphql-js's words, not an internal error.
    if (err instanceof GraphQLError) throw new GraphQLError(err.message, { nodes: err.nodes, extensions: { code: "BAD_USER_INPUT", http: { status: 400 } } });
    throw err;
  }
  if (complexity > max) {
    throw new GraphQLError(`The operation's complexity is ${complexity}; the limit is ${max}`, {
      extensions: { code: "QUERY_TOO_COMPLEX" },
    });
  }
}

import type { AttributeDef, ResourceTypeDef, SchemaDef } from './schema-model.js';
import { commonAttributes } from './schemas/common.js';
import { enterpriseUserSchema } from './schemas/enterprise-user.js';
import { groupSchema } from './schemas/group.js';
import { userSchema } from './schemas/user.js';

/** Everything the protocol code needs to know about one resource type in one workspace. */
export interface ResourceContext {
  resourceType: ResourceTypeDef;
  core: SchemaDef;
  extensions: SchemaDef[];
  common: AttributeDef[];
}

export const userResourceType: ResourceTypeDef = {
  id: 'User',
  name: 'User',
  endpoint: '/Users',
  description: 'User Account',
  schema: userSchema.id,
  schemaExtensions: [{ schema: enterpriseUserSchema.id, required: false }],
};

export const groupResourceType: ResourceTypeDef = {
  id: 'Group',
  name: 'Group',
  endpoint: '/Groups',
  description: 'Group',
  schema: groupSchema.id,
  schemaExtensions: [],
};

/** The User context with the built-in extension plus a workspace's custom extensions. */
export function userContext(customExtensions: SchemaDef[] = []): ResourceContext {
  const extensions = [enterpriseUserSchema, ...customExtensions];
  return {
    resourceType: {
      ...userResourceType,
      schemaExtensions: extensions.map((s) => ({ schema: s.id, required: false })),
    },
    core: userSchema,
    extensions,
    common: commonAttributes,
  };
}

/** The Group context with a workspace's custom extensions. */
export function groupContext(customExtensions: SchemaDef[] = []): ResourceContext {
  return {
    resourceType: {
      ...groupResourceType,
      schemaExtensions: customExtensions.map((s) => ({ schema: s.id, required: false })),
    },
    core: groupSchema,
    extensions: customExtensions,
    common: commonAttributes,
  };
}

export const defaultUserContext = userContext();
export const defaultGroupContext = groupContext();

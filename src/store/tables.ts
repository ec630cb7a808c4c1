import type { Generated } from 'kysely';

/** Row shapes of every table, as Kysely sees them (see migrations/ for the DDL). */
export interface WorkspaceTable {
  id: string;
  slug: string;
  name: string;
  domain: string | null;
  plan: string;
  scim_enabled: number;
  settings: string;
  event_seq: Generated<number | string>;
  user_count: Generated<number | string>;
  group_count: Generated<number | string>;
  created_at: string;
  updated_at: string;
}

export interface ApiTokenTable {
  id: string;
  workspace_id: string;
  name: string;
  prefix: string;
  token_hash: string;
  scopes: string;
  created_at: string;
  created_by: string | null;
  last_used_at: string | null;
  expires_at: string | null;
  revoked_at: string | null;
}

export interface UserTable {
  workspace_id: string;
  id: string;
  user_name: string;
  user_name_norm: string;
  external_id: string | null;
  display_name: string | null;
  display_name_norm: string | null;
  active: number;
  role: string | null;
  data: string;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface UserValueTable {
  workspace_id: string;
  resource_id: string;
  attribute: string;
  type: string | null;
  value_norm: string;
  is_primary: number;
}

export interface GroupTable {
  workspace_id: string;
  id: string;
  display_name: string;
  display_name_norm: string;
  external_id: string | null;
  role: string | null;
  data: string;
  member_count: Generated<number | string>;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface GroupMemberTable {
  workspace_id: string;
  group_id: string;
  member_id: string;
  member_type: string;
  created_at: string;
}

export interface EventTable {
  workspace_id: string;
  position: number | string;
  id: string;
  type: string;
  resource_type: string | null;
  resource_id: string | null;
  actor_type: string;
  actor_id: string | null;
  ip: string | null;
  user_agent: string | null;
  data: string;
  created_at: string;
}

export interface Database {
  workspaces: WorkspaceTable;
  api_tokens: ApiTokenTable;
  users: UserTable;
  user_values: UserValueTable;
  groups: GroupTable;
  group_members: GroupMemberTable;
  events: EventTable;
}

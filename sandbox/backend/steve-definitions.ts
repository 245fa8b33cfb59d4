/**
 * Steve's schema definitions (`<base>/schemaDefinitions/<schema id>`): a schema's fields, which Steve no longer puts
 * in the schema itself (`resourceFields: null`). The shell asks for them on resource detail pages (shell 3.0.8
 * models/steve-schema.ts fetchResourceFields, e.g. from components/form/ResourceTabs to decide on a Conditions tab).
 *
 * Built as rancher/steve pkg/schema/definitions builds them (handler.go byIDHandler, visitor.go, converter.go
 * getPrimitiveType), from the real kube-apiserver's OpenAPI v2 document: the model whose
 * `x-kubernetes-group-version-kind` is the schema's type, and every model it references. Steve additionally
 * merges a CRD's own OpenAPI v3 schema into its model; the sandbox's CRDs (kube-seed.ts) declare no fields, so
 * there is nothing to merge.
 */
import { JsonObject, isRecord } from './http';
import { TypeDef } from './types';

export interface DefinitionField { type: string; subtype?: string; description?: string; required?: boolean }
export interface Definition { resourceFields: Record<string, DefinitionField>; type: string; description: string }

export interface SchemaDefinition {
  id: string;
  type: 'schemaDefinition';
  links: { self: string };
  definitionType: string;
  definitions: Record<string, Definition>;
}

const REF_PREFIX = '#/definitions/';

/** integer and number are both "int" to Steve (converter.go getPrimitiveType). */
const primitiveType = (type: string) => (type === 'integer' || type === 'number' ? 'int' : type);

const description = (schema: JsonObject): string | undefined => (typeof schema.description === 'string' && schema.description ? schema.description : undefined);

function field(type: string, desc: string | undefined, subtype?: string): DefinitionField {
  return { type, ...(subtype ? { subtype } : {}), ...(desc ? { description: desc } : {}) };
}

/** Walks OpenAPI v2 schemas the way kube-openapi's proto parser and Steve's schemaFieldVisitor do. */
class Visitor {
  readonly definitions: Record<string, Definition> = {};

  constructor(private readonly models: Record<string, JsonObject>) {}

  visit(schema: JsonObject, path: string): DefinitionField {
    if (typeof schema.$ref === 'string') {
      const name = schema.$ref.slice(REF_PREFIX.length);
      const target = this.models[name];

      if (!isRecord(target)) {
        return field(name, description(schema));
      }

      // A reference's field is the referenced one's, described by the reference (visitor.go VisitReference).
      const referenced = this.visit(target, name);

      delete referenced.description;

      return { ...referenced, ...(description(schema) ? { description: description(schema) } : {}) };
    }
    const types: string[] = Array.isArray(schema.type) ? schema.type : (typeof schema.type === 'string' ? [schema.type] : []);
    const type = types[0];

    if (type === 'array' || (!type && schema.items)) {
      return field('array', description(schema), isRecord(schema.items) ? this.visit(schema.items, `${ path }.items`).type : 'string');
    }
    if (type === 'object' || (!type && (schema.properties || schema.additionalProperties))) {
      if (isRecord(schema.properties)) {
        return this.visitKind(schema, path);
      }
      const sub = isRecord(schema.additionalProperties) ? this.visit(schema.additionalProperties, `${ path }.additionalProperties`).type : 'string';

      return field('map', description(schema), sub);
    }

    // No type at all is "arbitrary", a string to Steve; any other type is a primitive.
    return field(type ? primitiveType(type) : 'string', description(schema));
  }

  private visitKind(schema: JsonObject, path: string): DefinitionField {
    const kindField = field(path, description(schema));

    if (this.definitions[path]) {
      return kindField;
    }
    const definition: Definition = { resourceFields: {}, type: path, description: description(schema) ?? '' };

    // Marked as seen first: models refer to themselves (JSONSchemaProps).
    this.definitions[path] = definition;
    Object.entries(schema.properties as Record<string, JsonObject>).forEach(([name, property]) => {
      definition.resourceFields[name] = this.visit(property, `${ path }.${ name }`);
    });
    (Array.isArray(schema.required) ? schema.required : []).forEach((name: string) => {
      if (definition.resourceFields[name]) {
        definition.resourceFields[name] = { ...definition.resourceFields[name], required: true };
      }
    });

    return kindField;
  }
}

/** The OpenAPI v2 model name of a served type, by its group, version and kind. */
export function modelNameOf(openApi: JsonObject, def: TypeDef): string | undefined {
  const models: Record<string, JsonObject> = isRecord(openApi.definitions) ? openApi.definitions : {};

  return Object.keys(models).find((name) => (Array.isArray(models[name]['x-kubernetes-group-version-kind']) ? models[name]['x-kubernetes-group-version-kind'] : [])
    .some((gvk: JsonObject) => gvk.group === def.group && gvk.version === def.version && gvk.kind === def.kind));
}

/** The schema definition Steve answers for a type, or undefined when the document has no model for it. */
export function schemaDefinition(openApi: JsonObject, def: TypeDef, base: string): SchemaDefinition | undefined {
  const name = modelNameOf(openApi, def);

  if (!name) {
    return undefined;
  }
  const visitor = new Visitor(openApi.definitions);

  visitor.visit(openApi.definitions[name], name);

  return {
    id: def.id, type: 'schemaDefinition', links: { self: `${ base }/schemaDefinitions/${ def.id }` }, definitionType: name, definitions: visitor.definitions
  };
}

interface OpenApiClient { request(method: string, path: string): Promise<{ status: number; body: any }> }

const documents = new WeakMap<OpenApiClient, Promise<JsonObject>>();

/** The API server's OpenAPI v2 document, read once per client (a few MB); forgotten after a failure. */
export function openApiDocument(kube: OpenApiClient): Promise<JsonObject> {
  let document = documents.get(kube);

  if (!document) {
    document = kube.request('GET', '/openapi/v2').then((response) => {
      if (response.status !== 200 || !isRecord(response.body)) {
        throw new Error(`the API server answered ${ response.status } for /openapi/v2`);
      }

      return response.body;
    });
    documents.set(kube, document);
    document.catch(() => documents.delete(kube));
  }

  return document;
}

/** Forgets a document that lacks a type (a CRD the API server had not published yet when it was read). */
export function forgetOpenApiDocument(kube: OpenApiClient): void {
  documents.delete(kube);
}

import { Directive, Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { ConnectionType } from '../../../lib/graphql/pagination.js';
import { IdentityType } from '../../../lib/identity.js';

registerEnumType(IdentityType, {
  name: 'IdentityType',
  description: 'How an issuer knows a recipient (Open Badges 3.0 IdentityObject types).',
  valuesConfig: {
    EMAIL: { description: 'An e-mail address; matched case-insensitively.' },
    DID: { description: 'A decentralised identifier, did:<method>:<id>.' },
    URL: { description: 'An http(s) URL the recipient controls.' },
    PHONE: { description: 'A phone number in E.164 form (+ and 8–15 digits).' },
    STUDENT_ID: { description: 'An identifier assigned by an institution.' },
    OTHER: { description: 'Any other identifier, up to 200 characters.' },
  },
});

@ObjectType('RecipientIdentity', { description: 'One way a recipient is known; no two recipients share one.' })
export class RecipientIdentity {
  @Field(() => IdentityType) type!: IdentityType;
  @Field(() => String, { description: 'The normalised value, e.g. a lowercased e-mail address.' }) value!: string;
}

@Directive('@key(fields: "id")')
@ObjectType('Recipient', { description: 'A person who holds credentials. Private: visible to operators and to the recipient.' })
export class Recipient {
  @Field(() => ID) id!: string;
  @Field(() => String, { nullable: true }) name!: string | null;
  @Field(() => GraphQLDateTime) createdAt!: Date;
}

export const RecipientConnection = ConnectionType(Recipient, 'Recipient');

@InputType()
export class RecipientIdentityInput {
  @Field(() => IdentityType) type!: IdentityType;
  @Field(() => String) value!: string;
}

@InputType()
export class CreateRecipientInput {
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => [RecipientIdentityInput], { description: 'At least one, at most 20; repeats are dropped.' })
  identities!: RecipientIdentityInput[];
}

@ObjectType()
export class CreateRecipientPayload {
  @Field(() => Recipient) recipient!: Recipient;
}
